// The reply box, and the presence that keeps two teammates from answering the same visitor
// twice: we tell the server we are viewing or typing, show who else is, warn while typing
// alongside someone, and confirm before a reply that the server holds back as a collision.
import { api } from './api.js';
import { clockTime, h, initials } from './dom.js';

const $ = (id) => document.getElementById(id);
const TYPING_REFRESH_MS = 2000;
const TYPING_IDLE_MS = 3000;

export class Composer {
  constructor({ threadView, store, me, config, onSent }) {
    this.view = threadView;
    this.store = store;
    this.me = me;
    this.config = config;
    this.onSent = onSent;
    this.threadId = null;
    this.state = null;
    this.drafts = new Map(); // unsent text per thread, kept while switching threads
    this.lastTypingAt = 0;
    this.idleTimer = null;
    this.viewingTimer = null;
    this.form = $('composer');
    this.box = $('reply');
    this.box.addEventListener('input', () => this.typed());
    this.box.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.send(false);
      }
    });
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.send(false);
    });
    document.addEventListener('visibilitychange', () => {
      if (!this.threadId) return;
      this.announce(document.hidden ? 'left' : 'viewing');
    });
    window.addEventListener('pagehide', () => this.leave());
    setInterval(() => this.render(), 1000); // presence entries expire on their own
  }

  enter(threadId) {
    this.threadId = threadId;
    this.presenceSignature = null;
    this.box.value = this.drafts.get(threadId) || '';
    $('reply-error').textContent = '';
    this.announce('viewing');
    const everyMs = (this.config.presence_viewing_seconds * 1000) / 3;
    clearInterval(this.viewingTimer);
    this.viewingTimer = setInterval(() => {
      if (!document.hidden && this.state !== 'typing') this.announce('viewing', true);
    }, everyMs);
    this.render();
  }

  leave() {
    if (this.threadId) this.drafts.set(this.threadId, this.box.value);
    clearInterval(this.viewingTimer);
    clearTimeout(this.idleTimer);
    const left = this.threadId ? this.announce('left') : Promise.resolve();
    this.threadId = null;
    this.state = null;
    return left;
  }

  announce(state, refresh = false) {
    if (!this.threadId || (state === this.state && !refresh)) return Promise.resolve();
    this.state = state;
    const path = `/v1/threads/${encodeURIComponent(this.threadId)}/presence`;
    return api('POST', path, { state }, { keepalive: state === 'left' }).catch(() => {
      this.state = null; // try again on the next beat
    });
  }

  typed() {
    const now = Date.now();
    if (this.box.value.trim() && (this.state !== 'typing' || now - this.lastTypingAt > TYPING_REFRESH_MS)) {
      this.lastTypingAt = now;
      this.announce('typing', true);
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.announce('viewing'), TYPING_IDLE_MS);
    this.render();
  }

  others() {
    return this.threadId ? this.store.peopleIn(this.threadId, this.me.id) : [];
  }

  recentReplyByOther() {
    const windowMs = this.config.collision_window_seconds * 1000;
    const now = this.view.serverNow();
    return this.store
      .messagesOf(this.threadId)
      .filter((m) => m.author === 'staff' && m.staff_id !== this.me.id)
      .find((m) => now - Date.parse(m.created_at) < windowMs);
  }

  render() {
    if (!this.threadId) return;
    const others = this.others();
    // Rebuilt only when it changes: it is a live region, and this runs every second.
    const signature = others.map((person) => `${person.staff_id}:${person.state}`).join(',');
    if (signature !== this.presenceSignature) this.renderPresence(others, signature);
    this.renderWarning(others);
  }

  renderPresence(others, signature) {
    this.presenceSignature = signature;
    $('presence').replaceChildren(
      ...others.map((person) =>
        h(
          'span',
          { class: `presence-person ${person.state}` },
          h('span', { class: `avatar ${person.state}`, 'aria-hidden': 'true', text: initials(person.name) }),
          person.state === 'typing' ? `${person.name} is typing…` : `${person.name} is viewing`,
        ),
      ),
    );
  }

  renderWarning(others) {
    const typing = others.filter((person) => person.state === 'typing');
    const recent = this.recentReplyByOther();
    const drafting = this.box.value.trim().length > 0;
    let warning = '';
    if (typing.length) {
      const names = typing.map((person) => person.name).join(' and ');
      warning = `${names} ${typing.length === 1 ? 'is' : 'are'} typing a reply in this thread too.`;
    } else if (recent && drafting) {
      // A fixed time, not a ticking "n s ago": this is an alert, announced on every change.
      warning = `${recent.staff_name} replied at ${clockTime(recent.created_at)}. Read it before you send.`;
    }
    const banner = $('collision');
    if (banner.textContent !== warning) banner.textContent = warning;
    banner.hidden = !warning;
  }

  async send(force) {
    const text = this.box.value.trim();
    if (!text || !this.threadId) return;
    const threadId = this.threadId;
    const button = this.form.querySelector('button[type=submit]');
    button.disabled = true;
    $('reply-error').textContent = '';
    try {
      await api('POST', `/v1/threads/${encodeURIComponent(threadId)}/messages`, { text, force });
      if (threadId === this.threadId) this.box.value = '';
      this.drafts.delete(threadId);
      clearTimeout(this.idleTimer);
      this.announce('viewing');
      this.onSent();
    } catch (error) {
      if (error.code === 'collision') {
        if (await confirmCollision(error.message)) {
          button.disabled = false;
          return this.send(true);
        }
      } else {
        $('reply-error').textContent = error.message;
      }
    } finally {
      button.disabled = false;
      this.render();
    }
  }
}

function confirmCollision(message) {
  const dialog = $('collision-dialog');
  $('collision-text').textContent = message;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'send'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
  });
}
