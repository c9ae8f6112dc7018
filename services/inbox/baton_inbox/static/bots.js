// The Bots page (owner and admins): create a bot, set what its widget does, feed it knowledge
// (uploaded files, a page by URL, a sitemap or a crawled site; the job's progress arrives on
// the bot's job stream, jobs.js), copy the embed snippet, delete the bot.
import { api, apiError, csrfToken, signedIn, ApiError } from './api.js';
import { h } from './dom.js';
import { clearErrors, onSubmit } from './formerror.js';
import { JobFollower, isActive } from './jobs.js';

const $ = (id) => document.getElementById(id);
const PRECHAT = [
  ['name', 'Name'],
  ['email', 'E-mail'],
  ['company', 'Company'],
];
// What the handoff service applies to a bot without its own value (BATON_HANDOFF_HANDBACK_IDLE_SECONDS).
const DEFAULT_HANDBACK_SECONDS = 600;
let current = null; // the bot on screen
let jobs = null; // the JobFollower of its ingest jobs

// Errors of no form (loading, deleting): on the page's error line, brought into view.
function fail(error) {
  $('error').textContent = error.message;
  $('error').scrollIntoView({ block: 'nearest' });
}

const minutes = (seconds) => {
  const m = Math.round(seconds / 60);
  return `${m} minute${m === 1 ? '' : 's'}`;
};

const lines = (text) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

function botUrl(path = '') {
  return `/v1/bots/${encodeURIComponent(current.id)}${path}`;
}

async function loadList() {
  const { bots } = await api('GET', '/v1/bots');
  $('bots').replaceChildren(
    ...bots.map((bot) =>
      h(
        'tr',
        {},
        h('td', { text: bot.name }),
        h('td', {}, h('code', { text: bot.bot_key })),
        h(
          'td',
          {},
          h('button', {
            type: 'button',
            text: 'Open',
            'aria-label': `Open ${bot.name}`,
            onclick: () => {
              window.location.hash = `bot=${bot.id}`;
            },
          }),
        ),
      ),
    ),
  );
}

function showBot(bot) {
  current = bot;
  $('bot').hidden = false;
  $('bot-title').textContent = bot.name;
  $('snippet').textContent = bot.embed_snippet;
  $('copy-status').textContent = '';
  $('set-name').value = bot.name;
  $('set-display-name').value = bot.display_name || '';
  $('set-greeting').value = bot.greeting || '';
  $('set-accent').value = bot.accent_color || '#3b5bdb';
  $('set-origins').value = bot.allowed_origins.join('\n');
  $('set-topics').value = bot.sensitive_topics.join('\n');
  $('set-handback').value = bot.handback_idle_seconds ?? '';
  $('set-handback').placeholder = String(DEFAULT_HANDBACK_SECONDS);
  $('set-handback-hint').textContent = bot.handback_idle_seconds
    ? `Now ${minutes(bot.handback_idle_seconds)}.`
    : `Now the default, ${DEFAULT_HANDBACK_SECONDS} seconds (${minutes(DEFAULT_HANDBACK_SECONDS)}); empty keeps the default.`;
  $('origins-warning').hidden = bot.allowed_origins.length > 0;
  $('set-answerer').value = bot.answerer || '';
  const chosen = new Map(bot.prechat_fields.map((f) => [f.field, f.required]));
  $('prechat').replaceChildren(
    ...PRECHAT.map(([field, label]) =>
      h(
        'div',
        { class: 'prechat-row' },
        h(
          'label',
          {},
          h('input', { type: 'checkbox', dataset: { field, kind: 'ask' }, checked: chosen.has(field) }),
          `Ask for ${label.toLowerCase()}`,
        ),
        h(
          'label',
          {},
          h('input', { type: 'checkbox', dataset: { field, kind: 'required' }, checked: chosen.get(field) === true }),
          'required',
        ),
      ),
    ),
  );
  $('identity-state').textContent = bot.identity_verification
    ? 'On: the widget refuses user ids without a valid signature.'
    : 'Off.';
  $('secret-box').hidden = true;
  $('secret').textContent = '';
}

function settingsBody() {
  const handback = $('set-handback').value.trim();
  const checked = (field, kind) =>
    document.querySelector(`#prechat input[data-field="${field}"][data-kind="${kind}"]`).checked;
  const body = {
    name: $('set-name').value.trim(),
    display_name: $('set-display-name').value.trim(),
    greeting: $('set-greeting').value.trim(),
    accent_color: $('set-accent').value,
    allowed_origins: lines($('set-origins').value),
    sensitive_topics: lines($('set-topics').value),
    // '' is "the agent's default": null removes the bot's own choice.
    answerer: $('set-answerer').value || null,
    prechat_fields: PRECHAT.filter(([field]) => checked(field, 'ask')).map(([field]) => ({
      field,
      required: checked(field, 'required'),
    })),
  };
  if (handback) body.handback_idle_seconds = Number(handback);
  return body;
}

async function loadSources() {
  const { sources } = await api('GET', botUrl('/sources'));
  $('sources').replaceChildren(
    ...sources.map((source) =>
      h(
        'tr',
        {},
        h('td', { text: source.kind }),
        h('td', { text: source.location }),
        h('td', { text: source.pages }),
        h(
          'td',
          {},
          h('button', {
            type: 'button',
            text: 'Delete',
            'aria-label': `Delete the source ${source.location}`,
            onclick: async () => {
              if (!window.confirm(`Remove ${source.location} from the bot's answers?`)) return;
              await api('DELETE', botUrl(`/sources/${encodeURIComponent(source.source_id)}`)).catch(fail);
              loadSources().catch(fail);
            },
          }),
        ),
      ),
    ),
  );
}

async function upload(form) {
  const response = await fetch(botUrl('/uploads'), {
    method: 'POST',
    headers: { Accept: 'application/json', 'X-CSRF-Token': csrfToken() },
    credentials: 'same-origin',
    body: form,
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw apiError(response.status, data);
  return data;
}

function problems(view) {
  const parts = [];
  if (view.pageErrors) parts.push(`${view.pageErrors} could not be read`);
  if (view.skipped) parts.push(`${view.skipped} kept out by the site's rules`);
  return parts.join(', ');
}

// `view` is the job as jobs.js keeps it; `via` says where its latest state came from.
function showJob(view, via) {
  const { done, total } = view;
  const box = $('job');
  box.hidden = false;
  if (total) {
    $('job-progress').max = Math.max(total, 1);
    $('job-progress').value = done;
  } else {
    $('job-progress').removeAttribute('value'); // a crawl still finding pages: indeterminate
  }
  const state = view.state === 'succeeded' ? 'Done' : view.state === 'failed' ? 'Failed' : 'Reading';
  const page = isActive(view) ? view.current : problems(view);
  const detail = view.error ? ` — ${view.error}` : page ? ` — ${page}` : '';
  const count = total ? `${done} of ${total} pages` : `${done} pages so far`;
  $('job-status').textContent = `${state}: ${count}${detail}`;
  if (box.dataset.jobId !== view.job_id) box.dataset.streamed = '0';
  box.dataset.jobId = view.job_id;
  box.dataset.state = view.state;
  box.dataset.via = via; // the tests check progress arrived on the stream, not by polling
  if (via === 'stream') box.dataset.streamed = String(Number(box.dataset.streamed) + 1);
}

// A job outlives the page (the ingest service keeps it): the follower picks up the bot's
// running one when its stream connects, and shows every job of the bot that starts later.
function followJobs(botId) {
  if (jobs) jobs.stop();
  jobs = new JobFollower(botId, {
    show: showJob,
    finished: () => loadSources().catch(fail),
    fail,
  });
  jobs.start();
}

async function addWebSource(body, input) {
  const job = await api('POST', botUrl('/sources'), body);
  $('error').textContent = '';
  input.value = '';
  jobs.follow(job);
}

async function openFromHash() {
  const id = new URLSearchParams(window.location.hash.slice(1)).get('bot');
  if (!id) {
    $('bot').hidden = true;
    current = null;
    if (jobs) jobs.stop();
    jobs = null;
    return;
  }
  $('bots-status').textContent = '';
  for (const form of document.querySelectorAll('#bot form')) clearErrors(form);
  showBot(await api('GET', `/v1/bots/${encodeURIComponent(id)}`));
  $('job').hidden = true;
  followJobs(current.id);
  await loadSources();
}

function wire() {
  onSubmit($('create-form'), async () => {
    const body = { name: $('create-name').value.trim(), site_address: $('create-site').value.trim() };
    if (!body.site_address) throw new ApiError("Your site's address is required: the widget only shows on the sites you allow.", 422, 'invalid_request', 'site_address');
    const bot = await api('POST', '/v1/bots', body);
    $('create-name').value = '';
    $('create-site').value = '';
    $('error').textContent = '';
    await loadList();
    window.location.hash = `bot=${bot.id}`;
  });
  onSubmit($('settings-form'), async () => {
    $('settings-status').textContent = '';
    showBot(await api('PATCH', botUrl(), settingsBody()));
    $('settings-status').textContent = 'Saved.';
    $('error').textContent = '';
    loadList().catch(fail);
  });
  $('copy-snippet').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(current.embed_snippet);
      $('copy-status').textContent = 'Copied.';
    } catch (e) {
      $('copy-status').textContent = 'Select the snippet and copy it by hand.';
    }
  });
  $('rotate-secret').addEventListener('click', async () => {
    const warning = current.identity_verification
      ? 'Signatures made with the old secret stop working at once. Generate a new secret?'
      : 'Turn on identity verification with a new secret?';
    if (!window.confirm(warning)) return;
    try {
      const result = await api('POST', botUrl('/identity-secret'));
      showBot(result.bot);
      $('secret').textContent = result.identity_secret;
      $('secret-box').hidden = false;
    } catch (error) {
      fail(error);
    }
  });
  $('delete-bot').addEventListener('click', async () => {
    const bot = current;
    const question =
      `Delete the bot "${bot.name}"? Its widget stops answering on every site, and its ` +
      'knowledge sources are deleted. Its conversations stay in the inbox.';
    if (!window.confirm(question)) return;
    $('delete-bot').disabled = true; // a second click would only find the bot gone
    try {
      await api('DELETE', botUrl());
      $('error').textContent = '';
      window.location.hash = ''; // back to the list: hashchange closes the bot
      await loadList();
      $('bots-status').textContent = `Deleted ${bot.name}.`;
    } catch (error) {
      fail(error); // e.g. an ingest job still reading into it: the bot stays, try again later
    } finally {
      $('delete-bot').disabled = false;
    }
  });
  onSubmit($('upload-form'), async () => {
    const form = new FormData();
    for (const file of $('upload-files').files) form.append('files', file);
    form.append('base_url', $('upload-base').value.trim());
    form.append('name', $('upload-name').value.trim() || 'uploads');
    const job = await upload(form);
    $('error').textContent = '';
    $('upload-files').value = '';
    jobs.follow(job);
  });
  onSubmit($('url-form'), () => addWebSource({ kind: 'url', url: $('url-page').value.trim() }, $('url-page')));
  $('crawl-url').addEventListener('input', () => {
    // A sitemap is an XML file; anything else is a page to follow links from.
    const url = $('crawl-url').value.trim().split(/[?#]/)[0];
    $('crawl-kind').value = /\.xml(\.gz)?$/i.test(url) ? 'sitemap' : 'crawl';
  });
  onSubmit($('crawl-form'), () => {
    const body = {
      kind: $('crawl-kind').value,
      url: $('crawl-url').value.trim(),
      max_pages: Number($('crawl-max-pages').value) || 100,
    };
    return addWebSource(body, $('crawl-url'));
  });
  window.addEventListener('hashchange', () => openFromHash().catch(fail));
  // Enabled only now: a click before the handlers are on would submit the form natively.
  $('create-submit').disabled = false;
}

async function main() {
  const me = await signedIn(fail);
  if (!me) return;
  $('account-name').textContent = `${me.account.name} · Bots`;
  $('me').textContent = me.staff.name;
  if (!['owner', 'admin'].includes(me.staff.role)) {
    $('create-form').hidden = true;
    return fail(new Error('Only the owner and admins manage bots.'));
  }
  wire();
  await loadList();
  await openFromHash();
}

main().catch(fail);
