// The open thread: its history, visitor details, private notes, the actions and the reply box.
import { api } from './api.js';
import { browserName, clockTime, countdown, externalLink, h } from './dom.js';
import { THREAD_STATE_LABELS, escalationLabel, verifiedBadge, verifiedUserId, visitorName } from './labels.js';
import { Composer } from './composer.js';

const $ = (id) => document.getElementById(id);

export class ThreadView {
  constructor({ store, me, config, team, serverNow, onError }) {
    this.store = store;
    this.me = me;
    this.config = config;
    this.team = team;
    this.serverNow = serverNow;
    this.onError = onError;
    this.threadId = null;
    this.rendered = new Map();
    this.root = $('thread-view');
    this.placeholder = $('thread-placeholder');
    this.messages = $('messages');
    this.composer = new Composer({
      threadView: this,
      store,
      me,
      config,
      onSent: () => this.scrollToEnd(),
    });
    $('claim').addEventListener('click', () => this.command('claim'));
    $('standby').addEventListener('click', () => this.command('standby'));
    $('handback').addEventListener('click', () => this.command('handback'));
    $('close-thread').addEventListener('click', () => this.command('close'));
    $('reopen-thread').addEventListener('click', () => this.command('reopen'));
    $('assignee').addEventListener('change', (event) => this.assign(event.target.value));
    $('note-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.addNote();
    });
    setInterval(() => this.tick(), 1000);
  }

  async open(threadId) {
    if (this.threadId === threadId) return;
    this.composer.leave();
    this.threadId = threadId;
    this.rendered.clear();
    this.messages.replaceChildren();
    this.store.detail(threadId); // collect stream frames while the history loads
    this.root.hidden = false;
    this.placeholder.hidden = true;
    this.composer.enter(threadId);
    this.render();
    await this.reload();
  }

  async reload() {
    const threadId = this.threadId;
    if (!threadId) return;
    try {
      const data = await api('GET', `/v1/threads/${encodeURIComponent(threadId)}`);
      if (threadId !== this.threadId) return;
      this.store.loadDetail(data);
      this.render();
      this.scrollToEnd();
    } catch (error) {
      this.onError(error);
    }
  }

  isOpen(threadId) {
    return this.threadId === threadId;
  }

  thread() {
    return this.threadId ? this.store.threads.get(this.threadId) : null;
  }

  render() {
    const thread = this.thread();
    if (!thread) return;
    const badge = verifiedBadge(thread);
    $('thread-title').replaceChildren(visitorName(thread), ...(badge ? [' ', badge] : []));
    $('thread-title').title = visitorName(thread);  // a long name is cut short with an ellipsis
    const visitor = thread.visitor || {};
    $('thread-sub').textContent = [visitor.email, visitor.company].filter(Boolean).join(' · ');
    this.renderState(thread);
    this.renderActions(thread);
    this.renderMessages();
    this.renderVisitorTyping();
    this.renderDetails(thread);
    this.renderNotes();
    this.composer.render();
  }

  renderState(thread) {
    const state = $('thread-state');
    const badges = [
      h('span', { class: `badge badge-${thread.mode}`, text: THREAD_STATE_LABELS[thread.mode] || thread.mode }),
      thread.needs_human && thread.mode !== 'closed'
        ? h('span', { class: 'badge badge-needs', text: escalationLabel(thread.escalation_reason) })
        : null,
      h('span', { id: 'handback-countdown', class: 'countdown', role: 'timer' }),
    ];
    state.replaceChildren(...badges.filter(Boolean));
    this.tick();
  }

  renderActions(thread) {
    const mine = thread.assignee_id === this.me.id;
    $('claim').hidden = mine;
    $('standby').disabled = thread.mode !== 'human';
    $('handback').disabled = thread.mode !== 'human';
    // A closed thread offers Reopen in Close's place: the AI answers the visitor again.
    $('close-thread').hidden = thread.mode === 'closed';
    $('reopen-thread').hidden = thread.mode !== 'closed';
    $('close-thread').disabled = $('reopen-thread').disabled = false;
    const select = $('assignee');
    select.replaceChildren(
      h('option', { value: '', text: 'Unassigned' }),
      ...this.team.map((member) =>
        h('option', {
          value: member.id,
          text: member.id === this.me.id ? `${member.name} (you)` : member.name,
        }),
      ),
    );
    select.value = thread.assignee_id || '';
  }

  renderMessages() {
    const list = this.store.messagesOf(this.threadId);
    const atEnd = this.isScrolledToEnd();
    for (const message of list) {
      if (this.rendered.has(message.id)) continue;
      const node = this.messageNode(message);
      this.rendered.set(message.id, { node, position: message.position });
      // Insert in log order: frames of a resumed stream may arrive after newer ones.
      const next = [...this.rendered.values()]
        .filter((entry) => entry.position > message.position)
        .sort((a, b) => a.position - b.position)[0];
      this.messages.insertBefore(node, next ? next.node : null);
    }
    $('messages-empty').hidden = list.length > 0;
    if (atEnd) this.scrollToEnd();
  }

  messageNode(message) {
    const draft = message.author === 'ai' && message.suppressed;
    const classes = ['msg', `msg-${message.author}`];
    if (draft) classes.push('msg-draft');
    let author = 'Visitor';
    // Only answers carry a confidence; a notice ("not in the docs", a hand-over) is no answer.
    if (message.author === 'ai') author = typeof message.confidence === 'number' ? 'AI answer' : 'AI notice';
    if (message.author === 'staff') {
      author = message.staff_id === this.me.id ? `${message.staff_name} (you)` : message.staff_name;
    }
    const meta = h(
      'div',
      { class: 'msg-meta' },
      h('span', { class: 'msg-author', text: author }),
      h('time', { datetime: message.created_at, text: clockTime(message.created_at) }),
      message.author === 'ai' && typeof message.confidence === 'number'
        ? h('span', {
            class: 'confidence',
            title: 'Chance this answer holds what was asked: how far the search by meaning, by words and by page title agree on the page it quotes',
            text: `confidence ${Math.round(message.confidence * 100)}%`,
          })
        : null,
      draft ? h('span', { class: 'draft-label', text: 'AI draft, not sent' }) : null,
    );
    const sources = (message.sources || []).length
      ? h(
          'div',
          { class: 'sources' },
          h('span', { class: 'sources-label', text: 'Sources' }),
          h('ul', {}, ...message.sources.map((source) => h('li', {}, externalLink(source.url, source.title)))),
        )
      : null;
    return h(
      'li',
      { class: classes.join(' '), dataset: { messageId: message.id } },
      meta,
      h('p', { class: 'msg-text', text: message.text }),
      sources,
    );
  }

  renderDetails(thread) {
    const visitor = thread.visitor || {};
    const rows = [
      ['Name', visitor.name],
      ['E-mail', visitor.email],
      ['Company', visitor.company],
      ['User id', verifiedUserId(thread) ? `${verifiedUserId(thread)} (verified)` : null],
      ['Page', thread.page_url ? externalLink(thread.page_url, thread.page_url) : null],
      ['Browser', browserName(thread.user_agent)],
      ['Started', thread.created_at ? new Date(thread.created_at).toLocaleString() : null],
      ['Thread', String(thread.id)],
    ];
    $('visitor-details').replaceChildren(
      ...rows.flatMap(([label, value]) => [
        h('dt', { text: label }),
        h('dd', { class: value ? '' : 'missing' }, value || 'not given'),
      ]),
    );
  }

  renderNotes() {
    const notes = this.store.notesOf(this.threadId);
    $('notes').replaceChildren(
      ...notes.map((note) =>
        h(
          'li',
          { class: 'note' },
          h(
            'div',
            { class: 'note-meta' },
            h('span', { class: 'note-author', text: note.staff_name }),
            h('time', { datetime: note.created_at, text: clockTime(note.created_at) }),
          ),
          h('p', { class: 'note-text', text: note.text }),
        ),
      ),
    );
    $('notes-empty').hidden = notes.length > 0;
  }

  // Shown while the visitor types in the widget; the 1 s tick hides it once it lapses.
  renderVisitorTyping() {
    $('visitor-typing').hidden = !(this.threadId && this.store.isVisitorTyping(this.threadId));
  }

  tick() {
    this.renderVisitorTyping();
    const thread = this.thread();
    const node = document.getElementById('handback-countdown');
    if (!thread || !node) return;
    if (thread.mode === 'human' && thread.handback_deadline) {
      const left = Date.parse(thread.handback_deadline) - this.serverNow();
      node.textContent = left > 0 ? `AI resumes in ${countdown(left)}` : 'AI resumes now';
    } else {
      node.textContent = '';
    }
  }

  isScrolledToEnd() {
    const box = this.messages;
    return box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  }

  scrollToEnd() {
    this.messages.scrollTop = this.messages.scrollHeight;
  }

  async command(name) {
    const threadId = this.threadId;
    const button = {
      claim: 'claim',
      standby: 'standby',
      handback: 'handback',
      close: 'close-thread',
      reopen: 'reopen-thread',
    }[name];
    $(button).disabled = true;
    try {
      const result = await api('POST', `/v1/threads/${encodeURIComponent(threadId)}/${name}`);
      if (name === 'claim' && result) this.store.mergeThread(result);
    } catch (error) {
      this.onError(error);
    } finally {
      this.render();
    }
  }

  async assign(staffId) {
    try {
      const result = await api('POST', `/v1/threads/${encodeURIComponent(this.threadId)}/assignee`, {
        staff_id: staffId || null,
      });
      this.store.mergeThread(result);
    } catch (error) {
      this.onError(error);
    }
    this.render();
  }

  async addNote() {
    const box = $('note');
    const text = box.value.trim();
    if (!text) return;
    const threadId = this.threadId;
    try {
      const note = await api('POST', `/v1/threads/${encodeURIComponent(threadId)}/notes`, { text });
      this.store.addNote(threadId, note);
      box.value = '';
      this.renderNotes();
    } catch (error) {
      this.onError(error);
    }
  }
}
