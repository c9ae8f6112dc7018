// The inbox page: loads the list, keeps it live over the stream, opens threads.
import { Alerts } from './alerts.js';
import { api, signedIn, toLogin } from './api.js';
import { h } from './dom.js';
import { waitingSince } from './labels.js';
import { ThreadList } from './list.js';
import { LiveStream } from './live.js';
import { InboxStore } from './store.js';
import { installShortcuts } from './shortcuts.js';
import { ThreadView } from './thread.js';

const $ = (id) => document.getElementById(id);
const STATUS_TEXT = { live: 'Live', reconnecting: 'Reconnecting…', reloading: 'Reloading…' };

function showError(error) {
  const box = $('app-error');
  box.textContent = error.message || String(error);
  box.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => {
    box.hidden = true;
  }, 8000);
}

async function main() {
  const me = await signedIn(showError);
  if (!me) return;
  document.body.dataset.staffId = me.staff.id;
  $('account-name').textContent = me.account.name;
  $('me').textContent = `${me.staff.name} · ${me.staff.role}`;
  $('team-link').hidden = !['owner', 'admin'].includes(me.staff.role);
  $('bots-link').hidden = !['owner', 'admin'].includes(me.staff.role);
  const team = (await api('GET', '/v1/staff')).staff;
  const { bots } = await api('GET', '/v1/bots');
  const botNames = new Map(bots.map((bot) => [bot.id, bot.name]));

  const store = new InboxStore();
  let clockOffset = 0;
  const serverNow = () => Date.now() + clockOffset;
  let frame = 0;
  const renderSoon = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      renderList();
    });
  };

  const view = new ThreadView({ store, me: me.staff, config: me.config, team, serverNow, onError: showError });
  $('logout').addEventListener('click', async () => {
    try {
      await view.composer.leave(); // while the session still works
      await api('DELETE', '/v1/auth/session');
    } finally {
      window.location.assign('/login');
    }
  });
  const alerts = new Alerts({ button: $('enable-notifications'), onOpen: (id) => openThread(id) });
  const list = new ThreadList({
    root: $('thread-list'),
    filterBar: $('filters'),
    sortSelect: $('sort'),
    botSelect: $('bot-filter'),
    botNames,
    empty: $('list-empty'),
    onOpen: (id) => openThread(id, { focusReply: true }),
    onChange: renderSoon,
  });

  function renderList() {
    list.render({
      threads: store.threads,
      me: me.staff.id,
      selectedId: view.threadId,
      peopleIn: (id) => store.peopleIn(id, me.staff.id),
      now: serverNow(),
    });
    alerts.updateTitle(store.threads);
    const open = [...store.threads.values()].filter((thread) => thread.mode !== 'closed');
    const needing = open.filter((thread) => thread.needs_human).length;
    $('placeholder-summary').replaceChildren(
      `${open.length} open conversation${open.length === 1 ? '' : 's'}`,
      ...(needing ? [' · ', h('strong', { text: `${needing} need${needing === 1 ? 's' : ''} a human` })] : []),
    );
  }

  async function openThread(threadId, { focusReply = false } = {}) {
    history.replaceState(null, '', `#thread=${encodeURIComponent(threadId)}`);
    alerts.markSeen(store.threads.get(threadId));
    const opening = view.open(threadId);
    // Focus moves with the thread, never to the page body: its reply box is the next step.
    if (focusReply) $('reply').focus();
    renderSoon();
    await opening;
    alerts.markSeen(store.threads.get(threadId));
    renderSoon();
  }

  async function snapshot() {
    const data = await api('GET', '/v1/threads?limit=500');
    clockOffset = Date.parse(data.now) - Date.now();
    store.reset(data.threads);
    renderSoon();
    return data.cursor;
  }

  function onFrame(name, data) {
    if (name === 'change') {
      if (data.thread) {
        const { before, after } = store.mergeThread(data.thread);
        alerts.changed(before, after, view.isOpen(after.id) && !document.hidden);
      }
      if (data.message) store.addMessage(data.message);
      if (view.isOpen(data.thread_id)) view.render();
      renderSoon();
    } else if (name === 'note') {
      if (store.addNote(data.thread_id, data.note) && view.isOpen(data.thread_id)) view.renderNotes();
    } else if (name === 'typing') {
      store.setVisitorTyping(data.thread_id, data.typing);
      if (view.isOpen(data.thread_id)) view.renderVisitorTyping();
    } else if (name === 'presence') {
      store.setPresence(data.thread_id, data.people);
      if (view.isOpen(data.thread_id)) view.composer.render();
      renderSoon();
    }
  }

  const live = new LiveStream({
    cursor: await snapshot(),
    heartbeatSeconds: me.config.heartbeat_seconds,
    onFrame,
    onStatus: (status) => {
      // Back live after a drop: the open thread's history is read again, so it converges on
      // the store even if a frame was lost around the drop (the list resumes from its cursor).
      const reconnected = status === 'live' && document.body.dataset.live === 'reconnecting';
      document.body.dataset.live = status;
      $('live-status').textContent = STATUS_TEXT[status] || status;
      if (reconnected) view.reload();
    },
    // The stream cannot resume: start again from a fresh list and history.
    onGap: async () => {
      live.cursor = await snapshot();
      await view.reload();
      live.start();
    },
    onRefused: async () => {
      try {
        await api('GET', '/v1/me');
        return false;
      } catch (error) {
        if (error.status === 401) {
          toLogin();
          return true;
        }
        return false;
      }
    },
  });
  live.start();
  window.batonInbox = { store, live, view }; // for the browser tests and the curious

  // Escape in the open thread goes back to its row in the list (a dialog handles its own).
  $('thread-view').addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || event.defaultPrevented || event.target.closest('dialog')) return;
    event.preventDefault();
    list.focus(view.threadId);
  });
  const click = (id) => () => {
    if (view.threadId && !$(id).disabled && !$(id).hidden) $(id).click();
  };
  const focusIn = (id) => () => view.threadId && $(id).focus();
  installShortcuts({
    dialog: $('shortcuts-dialog'),
    button: $('show-shortcuts'),
    actions: {
      r: focusIn('reply'),
      n: focusIn('note'),
      c: click('claim'),
      b: click('handback'),
      x: click('close-thread'),
      w: () => {
        const next = nextWaiting(store.threads, view.threadId);
        if (next) openThread(next.id, { focusReply: true });
      },
    },
  });

  setInterval(renderSoon, 10000); // waiting times move on their own
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('thread');
  if (fromHash && store.threads.has(fromHash)) openThread(fromHash);
  renderSoon();
}

// The open thread whose visitor has waited longest for an answer, other than the open one.
function nextWaiting(threads, openId) {
  const waiting = [...threads.values()].filter((thread) => thread.id !== openId && waitingSince(thread));
  waiting.sort((a, b) => (waitingSince(a) < waitingSince(b) ? -1 : 1));
  return waiting[0] || null;
}

main();
