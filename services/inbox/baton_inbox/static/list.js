// The thread list: filters, sorting, one row per thread (rows are reused, so focus stays).
// One tab stop for the whole list (roving tabindex): arrows, Home and End move between rows,
// Enter opens the thread.
import { duration, h, initials } from './dom.js';
import { MODE_LABELS, escalationLabel, verifiedBadge, visitorName, waitingSince } from './labels.js';

const open = (thread) => thread.mode !== 'closed';

export const FILTERS = [
  { key: 'open', label: 'Open', test: (thread) => open(thread) },
  { key: 'needs_human', label: 'Needs human', test: (thread) => thread.needs_human && open(thread) },
  { key: 'mine', label: 'Mine', test: (thread, me) => thread.assignee_id === me && open(thread) },
  { key: 'unassigned', label: 'Unassigned', test: (thread) => !thread.assignee_id && open(thread) },
  { key: 'ai', label: 'AI-owned', test: (thread) => thread.mode === 'ai' },
  { key: 'closed', label: 'Closed', test: (thread) => thread.mode === 'closed' },
];

const SORTS = {
  // Longest-waiting visitor first; threads nobody waits on follow, most recent first.
  waiting: (a, b) => {
    const since = (thread) => waitingSince(thread) || '9999';
    if (since(a) !== since(b)) return since(a) < since(b) ? -1 : 1;
    return recent(a, b);
  },
  recent: (a, b) => recent(a, b),
};

function recent(a, b) {
  const at = (t) => t.last_message_at || t.created_at || '';
  return at(a) < at(b) ? 1 : at(a) > at(b) ? -1 : 0;
}

export class ThreadList {
  constructor({ root, filterBar, sortSelect, botSelect, botNames, empty, onOpen, onChange }) {
    this.root = root;
    this.botSelect = botSelect;
    this.botNames = botNames; // bot id -> name, for the row labels and the bot filter
    this.activeId = null; // the row that holds the list's one tab stop
    root.addEventListener('keydown', (event) => this.onKey(event));
    root.addEventListener('focusin', (event) => {
      const row = event.target.closest('.thread-row');
      if (row) this.setStop(row.dataset.threadId); // a click moves the tab stop too
    });
    botSelect.addEventListener('change', () => onChange());
    botSelect.replaceChildren(
      h('option', { value: '', text: 'All bots' }),
      ...[...botNames].map(([id, name]) => h('option', { value: id, text: name })),
    );
    botSelect.closest('label').hidden = botNames.size < 2;
    this.filterBar = filterBar;
    this.sortSelect = sortSelect;
    this.empty = empty;
    this.onOpen = onOpen;
    this.onChange = onChange;
    sortSelect.addEventListener("change", () => onChange());
    this.filter = 'open';
    this.rows = new Map();
    this.filterButtons = new Map();
    for (const filter of FILTERS) {
      const button = h(
        'button',
        {
          type: 'button',
          class: 'filter',
          'aria-pressed': filter.key === this.filter ? 'true' : 'false',
          dataset: { filter: filter.key },
          onclick: () => this.setFilter(filter.key),
        },
        h('span', { class: 'filter-label', text: filter.label }),
        h('span', { class: 'filter-count', text: '0' }),
      );
      this.filterButtons.set(filter.key, button);
      filterBar.append(button);
    }
  }

  setFilter(key) {
    this.filter = key;
    for (const [name, button] of this.filterButtons) {
      button.setAttribute('aria-pressed', name === key ? 'true' : 'false');
    }
    this.onChange();
  }

  render({ threads, me, selectedId, peopleIn, now }) {
    const all = [...threads.values()];
    for (const filter of FILTERS) {
      const count = all.filter((thread) => filter.test(thread, me)).length;
      this.filterButtons.get(filter.key).querySelector('.filter-count').textContent = String(count);
    }
    const active = FILTERS.find((filter) => filter.key === this.filter);
    const bot = this.botSelect.value;
    const shown = all
      .filter((thread) => active.test(thread, me) && (!bot || thread.bot_id === bot))
      .sort(SORTS[this.sortSelect.value] || SORTS.waiting);
    const items = shown.map((thread) => {
      let row = this.rows.get(thread.id);
      if (!row) {
        const button = h('button', {
          type: 'button',
          class: 'thread-row',
          dataset: { threadId: thread.id },
          onclick: () => this.onOpen(thread.id),
        });
        row = h('li', {}, button);
        this.rows.set(thread.id, row);
      }
      const botName = this.botNames.size > 1 ? this.botNames.get(thread.bot_id) || 'Deleted bot' : null;
      fillRow(row.firstChild, thread, { me, selected: thread.id === selectedId, peopleIn, now, botName });
      return row;
    });
    const focused = this.root.contains(document.activeElement) ? document.activeElement : null;
    placeInOrder(this.root, items);
    this.empty.hidden = items.length > 0;
    const ids = shown.map((thread) => thread.id);
    this.setStop(ids.includes(this.activeId) ? this.activeId : ids.includes(selectedId) ? selectedId : ids[0] || null);
    if (focused && focused.isConnected) focused.focus({ preventScroll: true }); // moving a node drops its focus
  }

  // Puts focus on the open thread's row (or the list's tab stop): where Escape goes back to.
  focus(threadId) {
    const row = this.rows.get(threadId);
    if (row && row.isConnected) this.activeId = threadId;
    this.moveTo(this.activeId);
  }

  setStop(threadId) {
    this.activeId = threadId;
    for (const [id, row] of this.rows) row.firstChild.tabIndex = id === threadId ? 0 : -1;
  }

  moveTo(threadId) {
    const row = threadId && this.rows.get(threadId);
    if (!row || !row.isConnected) return;
    this.setStop(threadId);
    row.firstChild.focus();
  }

  onKey(event) {
    const buttons = [...this.root.querySelectorAll('.thread-row')];
    const at = buttons.indexOf(event.target.closest('.thread-row'));
    const target = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      Home: 0,
      End: buttons.length - 1,
    }[event.key];
    if (target === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const button = buttons[Math.max(0, Math.min(buttons.length - 1, target))];
    if (button) this.moveTo(button.dataset.threadId);
  }
}

// Puts the rows in order by moving only those out of place. A row taken out of the page and put
// back between a teammate's mousedown and mouseup loses the click (the browser sends it to the
// list instead), so a live update must not re-insert rows that stay where they are.
function placeInOrder(root, items) {
  items.forEach((item, index) => {
    const current = root.children[index];
    if (current !== item) root.insertBefore(item, current || null);
  });
  while (root.children.length > items.length) root.lastElementChild.remove();
}

function fillRow(button, thread, { me, selected, peopleIn, now, botName }) {
  button.setAttribute('aria-current', selected ? 'true' : 'false');
  button.classList.toggle('needs-human', Boolean(thread.needs_human) && thread.mode !== 'closed');
  const since = waitingSince(thread);
  const waitingMs = since ? now - Date.parse(since) : null;
  const people = peopleIn(thread.id);
  const typing = people.filter((person) => person.state === 'typing');
  const escalated = thread.needs_human && thread.mode !== 'closed';
  const tags = [
    // An escalated thread waits for a person: "AI" next to "Asked for a person" misleads.
    escalated && thread.mode === 'ai' ? null : h('span', { class: `badge badge-${thread.mode}`, text: MODE_LABELS[thread.mode] || thread.mode }),
    verifiedBadge(thread),
    escalated ? h('span', { class: 'badge badge-needs', text: escalationLabel(thread.escalation_reason) }) : null,
    escalated ? responseTag(thread, now) : null,
    botName ? h('span', { class: 'row-bot', title: 'The bot (site) this conversation came from', text: botName }) : null,
    thread.assignee_id
      ? h('span', {
          class: 'assignee',
          text: thread.assignee_id === me ? 'You' : thread.assignee_name || 'Assigned',
        })
      : h('span', { class: 'assignee unassigned', text: 'Unassigned' }),
    people.length
      ? h(
          'span',
          { class: 'row-people', 'aria-label': people.map((p) => `${p.name} ${p.state}`).join(', ') },
          ...people.map((person) =>
            h('span', {
              class: `avatar avatar-small ${person.state}`,
              title: `${person.name} is ${person.state}`,
              text: initials(person.name),
            }),
          ),
        )
      : null,
  ];
  button.replaceChildren(
    h(
      'span',
      { class: 'row-top' },
      h('span', { class: 'row-name', text: visitorName(thread) }),
      waitingMs !== null
        ? h('span', {
            class: waitingMs > 5 * 60000 ? 'row-wait long' : 'row-wait',
            title: 'How long the visitor has waited for an answer',
            text: `waiting ${duration(waitingMs)}`,
          })
        : null,
    ),
    h('span', {
      class: 'row-text',
      text: typing.length ? `${typing[0].name} is typing…` : thread.last_visitor_text || 'No messages yet',
    }),
    h('span', { class: 'row-tags' }, ...tags),
  );
}

// The account's response target for an escalated thread: the due time the server computed
// over business hours, and the thresholds it alerted (80%: warning; 100%: breached).
function responseTag(thread, now) {
  if (!thread.response_due_at) return null;
  const leftMs = Date.parse(thread.response_due_at) - now;
  const missed = thread.response_alert === 'breached' || leftMs <= 0;
  const soon = !missed && thread.response_alert === 'warning';
  return h('span', {
    class: `badge badge-due${missed ? ' missed' : soon ? ' soon' : ''}`,
    title: `Reply target: ${new Date(thread.response_due_at).toLocaleString()} (counted within business hours)`,
    text: missed ? 'Reply target missed' : `Reply due in ${duration(Math.max(leftMs, 0))}`,
  });
}
