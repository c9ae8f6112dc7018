// The account's live stream (SSE). Resumes from the last cursor after any drop: EventSource
// sends it as Last-Event-ID on its own reconnects, and we pass it as ?cursor= when we
// reconnect ourselves (after a silent dead connection, or a refused one). A `gap` frame
// means the server cannot resume: the page reloads its data and starts over.
const FRAMES = ['hello', 'change', 'note', 'presence', 'typing', 'heartbeat', 'gap'];

export class LiveStream {
  constructor({ cursor, heartbeatSeconds, onFrame, onStatus, onGap, onRefused }) {
    this.cursor = cursor;
    this.heartbeatMs = heartbeatSeconds * 1000;
    this.onFrame = onFrame;
    this.onStatus = onStatus;
    this.onGap = onGap;
    this.onRefused = onRefused;
    this.source = null;
    this.retryMs = 1000;
    this.lastFrameAt = Date.now();
    this.watchdog = null;
    this.reconnects = 0;
  }

  start() {
    this.open();
    // No frame for 2.5 heartbeats: the connection is dead even if the browser has not noticed.
    this.watchdog = setInterval(() => {
      if (this.source && Date.now() - this.lastFrameAt > this.heartbeatMs * 2.5) this.reopen();
    }, 1000);
  }

  stop() {
    clearInterval(this.watchdog);
    if (this.source) this.source.close();
    this.source = null;
  }

  open() {
    const url = '/v1/stream' + (this.cursor ? '?cursor=' + encodeURIComponent(this.cursor) : '');
    const source = new EventSource(url, { withCredentials: true });
    this.source = source;
    this.lastFrameAt = Date.now();
    for (const name of FRAMES) {
      source.addEventListener(name, (event) => {
        if (source !== this.source) return;
        this.lastFrameAt = Date.now();
        if (event.lastEventId) this.cursor = event.lastEventId;
        const data = JSON.parse(event.data);
        if (name === 'hello') {
          this.retryMs = 1000;
          this.onStatus('live');
        } else if (name === 'gap') {
          this.stop();
          this.onStatus('reloading');
          this.onGap(data.reason);
          return;
        }
        this.onFrame(name, data);
      });
    }
    source.addEventListener('error', () => {
      if (source !== this.source) return;
      this.onStatus('reconnecting');
      // CONNECTING: the browser retries by itself, with Last-Event-ID. CLOSED: it gave up
      // (an error status), so ask why and retry with backoff.
      if (source.readyState === EventSource.CLOSED) this.retryLater();
    });
  }

  reopen() {
    if (this.source) this.source.close();
    this.source = null;
    this.reconnects += 1;
    this.onStatus('reconnecting');
    this.open();
  }

  async retryLater() {
    if (this.source) this.source.close();
    this.source = null;
    const refused = await this.onRefused();
    if (refused) return;
    setTimeout(() => {
      if (!this.source) this.reopen();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 15000);
  }
}
