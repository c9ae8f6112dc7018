// Words the inbox shows for the values the API sends.
export const MODE_LABELS = { ai: 'AI', human: 'Human', closed: 'Closed' };

export const ESCALATION_LABELS = {
  asked_for_human: 'Asked for a person',
  sensitive_topic: 'Sensitive topic',
  out_of_docs: 'Not in the docs',
  unresolved: 'Unresolved',
};

export function escalationLabel(reason) {
  return ESCALATION_LABELS[reason] || 'Needs a human';
}

export function visitorName(thread) {
  const visitor = thread.visitor || {};
  return visitor.name || visitor.email || `Visitor ${String(thread.id).slice(0, 6)}`;
}

// How long the visitor has waited for an answer: since their last unanswered message, or, once
// the AI has called for a teammate, since it did.
export function waitingSince(thread) {
  if (thread.mode === 'closed') return null;
  return thread.waiting_since || (thread.needs_human ? thread.escalated_at : null) || null;
}
