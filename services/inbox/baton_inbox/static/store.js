// What the page knows: threads (from the list, then the stream), the open threads' history
// and notes, and who is where. Merging follows the per-thread sequence: log fields are taken
// from the newer `seq`, teammate-owned fields (assignee) from the newer `meta_at`.
const META_FIELDS = ['assignee_id', 'assignee_name', 'meta_at'];
// The widget renews "typing" every 3 s while the visitor types; past this without a renewal
// (a lost "stopped", a closed tab) they are not typing any more.
const VISITOR_TYPING_MS = 6000;

export class InboxStore {
  constructor() {
    this.threads = new Map();
    this.details = new Map(); // thread id -> {messages: Map, notes: Map, loaded}
    this.presence = new Map(); // thread id -> [{staff_id, name, state, expiresAt}]
    this.visitorTyping = new Map(); // thread id -> until when (ms) the visitor counts as typing
  }

  reset(threads) {
    this.threads = new Map(threads.map((thread) => [thread.id, thread]));
    this.details.clear();
  }

  mergeThread(incoming) {
    const known = this.threads.get(incoming.id);
    if (!known) {
      this.threads.set(incoming.id, incoming);
      return { before: null, after: incoming };
    }
    const newerMeta = (incoming.meta_at || '') >= (known.meta_at || '');
    let merged;
    if (incoming.seq >= known.seq) {
      merged = { ...incoming };
      if (!newerMeta) for (const field of META_FIELDS) merged[field] = known[field];
    } else {
      merged = { ...known };
      if (newerMeta) for (const field of META_FIELDS) merged[field] = incoming[field];
    }
    this.threads.set(incoming.id, merged);
    return { before: known, after: merged };
  }

  detail(threadId) {
    if (!this.details.has(threadId)) {
      this.details.set(threadId, { messages: new Map(), notes: new Map(), loaded: false });
    }
    return this.details.get(threadId);
  }

  // Frames for a thread being opened are kept too: its history request may have been
  // answered from the store just before they were written.
  addMessage(message) {
    if (message.author === 'visitor') this.visitorTyping.delete(message.thread_id); // sent
    const detail = this.details.get(message.thread_id);
    if (detail) detail.messages.set(message.id, message);
    return Boolean(detail);
  }

  addNote(threadId, note) {
    const detail = this.details.get(threadId);
    if (detail) detail.notes.set(note.id, note);
    return Boolean(detail);
  }

  loadDetail(data) {
    const detail = this.detail(data.id);
    for (const message of data.messages) detail.messages.set(message.id, message);
    for (const note of data.notes) detail.notes.set(note.id, note);
    detail.loaded = true;
    const { messages, notes, presence, ...thread } = data;
    this.mergeThread(thread);
    this.setPresence(data.id, presence);
    return detail;
  }

  messagesOf(threadId) {
    const detail = this.details.get(threadId);
    if (!detail) return [];
    return [...detail.messages.values()].sort((a, b) => a.position - b.position);
  }

  notesOf(threadId) {
    const detail = this.details.get(threadId);
    if (!detail) return [];
    return [...detail.notes.values()].sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
  }

  setPresence(threadId, people) {
    const now = Date.now();
    this.presence.set(
      threadId,
      people.map((person) => ({ ...person, expiresAt: now + person.ttl_ms })),
    );
  }

  setVisitorTyping(threadId, typing) {
    if (typing) this.visitorTyping.set(threadId, Date.now() + VISITOR_TYPING_MS);
    else this.visitorTyping.delete(threadId);
  }

  isVisitorTyping(threadId) {
    return (this.visitorTyping.get(threadId) || 0) > Date.now();
  }

  peopleIn(threadId, exceptStaffId) {
    const now = Date.now();
    return (this.presence.get(threadId) || []).filter(
      (person) => person.expiresAt > now && person.staff_id !== exceptStaffId,
    );
  }
}
