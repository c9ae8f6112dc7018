// Live progress of the open bot's ingest jobs. The inbox forwards the ingest service's job
// events (ingest.events) on GET /v1/bots/{bot}/jobs/stream, and the page moves the job on
// screen with each one. The job record stays the truth: after every `hello` (first connect or
// reconnect) and `resync` the page reads the bot's jobs again, and only while the stream is
// down does it poll the job it follows.
import { api } from './api.js';

const POLL_MS = 3000; // while the stream is down
const QUIET_MS = 20000; // stream up, but not a word about a running job: read its record once
const RANK = { queued: 0, running: 1, succeeded: 2, failed: 2 };

export const isActive = (view) => view.state === 'queued' || view.state === 'running';

// The job as the page shows it, from a record of the job API...
export function fromRecord(job) {
  const report = job.report || {};
  return {
    job_id: job.job_id,
    state: job.state,
    done: job.progress.done,
    total: job.progress.total,
    current: job.progress.current,
    error: job.error,
    pageErrors: Object.keys(report.errors || {}).length,
    skipped: (report.skipped || []).length,
  };
}

// ...and from one ingest event (baton_events.ingest), applied to what is on screen. A job only
// moves forward: an event older than the record the page read meanwhile changes nothing.
export function applyEvent(view, event) {
  const base = view || {
    job_id: event.job_id,
    state: 'queued',
    done: 0,
    total: null,
    current: '',
    error: null,
    pageErrors: 0,
    skipped: 0,
  };
  const next = { ...base };
  if (event.type === 'ingest_job_queued') next.state = 'queued';
  else if (event.type === 'ingest_job_started') next.state = 'running';
  else if (event.type === 'ingest_job_progressed') {
    if (event.done < base.done) return base;
    Object.assign(next, { state: 'running', done: event.done, total: event.total, current: event.current });
  } else if (event.type === 'ingest_job_finished') {
    Object.assign(next, { state: event.state, error: event.error });
    const outcome = event.outcome;
    if (outcome) {
      next.pageErrors = outcome.page_errors;
      next.skipped = outcome.skipped;
      if (next.total === null) next.total = next.done = outcome.pages + outcome.page_errors;
    }
  } else return base; // a type this page does not know
  return RANK[next.state] < RANK[base.state] ? base : next;
}

function mergeRecord(view, record) {
  if (view && RANK[record.state] < RANK[view.state]) return view;
  if (view && record.state === view.state && record.done < view.done) return view;
  return record;
}

export class JobFollower {
  // show(view, via): via is 'start' (the job just created), 'stream' or 'poll' (read).
  constructor(botId, { show, finished, fail }) {
    this.base = `/v1/bots/${encodeURIComponent(botId)}`;
    this.show = show;
    this.finished = finished;
    this.fail = fail;
    this.view = null;
    this.source = null;
    this.live = false;
    this.stopped = false;
    this.heartbeatMs = 15000;
    this.lastFrameAt = Date.now();
    this.lastNewsAt = Date.now();
    this.lastReadAt = 0;
    this.retryMs = 1000;
  }

  start() {
    this.open();
    this.timer = setInterval(() => this.tick(), 1000);
  }

  stop() {
    this.stopped = true;
    clearInterval(this.timer);
    if (this.source) this.source.close();
    this.source = null;
  }

  // A job this page just started.
  follow(job) {
    this.take(fromRecord(job), 'start');
  }

  take(view, via) {
    if (this.stopped) return;
    const same = this.view && this.view.job_id === view.job_id;
    const wasActive = same && isActive(this.view);
    this.view = same ? (via === 'stream' ? view : mergeRecord(this.view, view)) : view;
    this.lastNewsAt = Date.now();
    this.show(this.view, via);
    if ((wasActive || !same) && !isActive(this.view)) this.finished(this.view);
  }

  onEvent(event) {
    const followed = this.view && this.view.job_id === event.job_id;
    if (followed) {
      if (!isActive(this.view)) return; // it ended; nothing moves it back
      this.take(applyEvent(this.view, event), 'stream');
    } else if (this.view && isActive(this.view)) {
      // Another job of this bot while one is on screen: its sources show when it ends.
      if (event.type === 'ingest_job_finished') this.finished(null);
    } else if (event.type === 'ingest_job_finished') {
      this.finished(null); // a job this page never showed changed the sources
    } else {
      this.take(applyEvent(null, event), 'stream'); // someone started a job: show it
    }
  }

  // What the job records say: the one on screen, or else the bot's running one.
  async readJobs() {
    this.lastReadAt = Date.now();
    const { jobs } = await api('GET', `${this.base}/jobs`);
    const followed = this.view && jobs.find((job) => job.job_id === this.view.job_id);
    const running = jobs.find((job) => job.state === 'queued' || job.state === 'running');
    const record = followed || running;
    if (record) this.take(fromRecord(record), 'poll');
  }

  async readFollowed() {
    this.lastReadAt = Date.now();
    const job = await api('GET', `${this.base}/jobs/${encodeURIComponent(this.view.job_id)}`);
    this.take(fromRecord(job), 'poll');
  }

  tick() {
    if (this.source && Date.now() - this.lastFrameAt > this.heartbeatMs * 2.5) this.reopen();
    if (!this.view || !isActive(this.view)) return;
    const now = Date.now();
    const due = this.live ? now - this.lastNewsAt > QUIET_MS : now - this.lastReadAt > POLL_MS;
    if (due && now - this.lastReadAt > POLL_MS) this.readFollowed().catch(this.fail);
  }

  open() {
    const source = new EventSource(`${this.base}/jobs/stream`, { withCredentials: true });
    this.source = source;
    this.lastFrameAt = Date.now();
    const frame = (name, handle) =>
      source.addEventListener(name, (message) => {
        if (source !== this.source) return;
        this.lastFrameAt = Date.now();
        handle(JSON.parse(message.data));
      });
    frame('hello', (data) => {
      this.live = true;
      this.retryMs = 1000;
      this.heartbeatMs = data.heartbeat_seconds * 1000;
      document.body.dataset.jobStream = 'live';
      this.readJobs().catch(this.fail); // whatever happened while it was not connected
    });
    frame('job', (event) => this.onEvent(event));
    frame('resync', () => this.readJobs().catch(this.fail));
    frame('heartbeat', () => {});
    source.addEventListener('error', () => {
      if (source !== this.source) return;
      this.live = false;
      document.body.dataset.jobStream = 'down';
      // CONNECTING: the browser retries by itself. CLOSED: it gave up (an error status).
      if (source.readyState === EventSource.CLOSED) {
        this.source = null;
        setTimeout(() => {
          if (!this.stopped && !this.source) this.open();
        }, this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, 15000);
      }
    });
  }

  reopen() {
    if (this.stopped) return;
    if (this.source) this.source.close();
    this.live = false;
    document.body.dataset.jobStream = 'down';
    this.open();
  }
}
