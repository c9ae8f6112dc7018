// New threads that need a human: a desktop notification (once the teammate allows it) and a
// count in the tab title, until the teammate opens them.
import { escalationLabel, visitorName } from './labels.js';

const SEEN_KEY = 'baton-inbox-seen-escalations';

export class Alerts {
  constructor({ button, onOpen }) {
    this.button = button;
    this.onOpen = onOpen;
    this.baseTitle = document.title;
    this.seen = new Set(JSON.parse(localStorage.getItem(SEEN_KEY) || '[]'));
    this.supported = 'Notification' in window;
    button.addEventListener('click', async () => {
      await Notification.requestPermission();
      this.renderButton();
    });
    this.renderButton();
  }

  renderButton() {
    this.button.hidden = !this.supported || Notification.permission !== 'default';
  }

  key(thread) {
    return `${thread.id}:${thread.escalated_at || ''}`;
  }

  needsAttention(thread) {
    return Boolean(thread.needs_human) && thread.mode !== 'closed' && !this.seen.has(this.key(thread));
  }

  markSeen(thread) {
    if (!thread || !thread.needs_human || this.seen.has(this.key(thread))) return;
    this.seen.add(this.key(thread));
    localStorage.setItem(SEEN_KEY, JSON.stringify([...this.seen].slice(-500)));
  }

  updateTitle(threads) {
    const count = [...threads.values()].filter((thread) => this.needsAttention(thread)).length;
    const title = count ? `(${count}) ${this.baseTitle}` : this.baseTitle;
    if (document.title !== title) document.title = title;
    return count;
  }

  // Called for every thread change from the stream: notify when a thread starts needing a human.
  changed(before, after, isOpenAndVisible) {
    this.targetChanged(before, after);
    const wasNeeding = before && before.needs_human;
    if (!after.needs_human || wasNeeding || after.mode === 'closed') return;
    if (isOpenAndVisible) {
      this.markSeen(after);
      return;
    }
    if (!this.supported || Notification.permission !== 'granted') return;
    const notification = new Notification(`Needs a human: ${visitorName(after)}`, {
      body: `${escalationLabel(after.escalation_reason)}. ${after.last_visitor_text || ''}`.trim(),
      tag: `baton-${after.id}`,
    });
    notification.addEventListener('click', () => {
      window.focus();
      this.onOpen(after.id);
      notification.close();
    });
  }

  // The response target's thresholds, alerted once by the server: a notification whether or
  // not the thread is open, since its clock runs until someone replies.
  targetChanged(before, after) {
    const alert = after.response_alert;
    if (!alert || !after.needs_human || after.mode === 'closed') return;
    if (before && before.response_alert === alert) return;
    if (!this.supported || Notification.permission !== 'granted') return;
    const title = alert === 'breached' ? 'Reply target missed' : 'Reply target close';
    const notification = new Notification(`${title}: ${visitorName(after)}`, {
      body: after.last_visitor_text || '',
      tag: `baton-target-${after.id}-${alert}`,
    });
    notification.addEventListener('click', () => {
      window.focus();
      this.onOpen(after.id);
      notification.close();
    });
  }
}
