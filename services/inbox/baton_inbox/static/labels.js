// Words the inbox shows for the values the API sends.
import { h } from './dom.js';

export const MODE_LABELS = { ai: 'AI', human: 'Human', closed: 'Closed' };
// The open thread's head says who holds it; a closed thread is held by no one.
export const THREAD_STATE_LABELS = { ai: 'AI-owned', human: 'Human-owned', closed: 'Closed' };

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

// The customer's user id, when the gateway checked its signature (identity verification);
// an unsigned id never reaches the inbox, so anything shown here can be trusted.
export function verifiedUserId(thread) {
  const visitor = thread.visitor || {};
  return visitor.verified && visitor.user_id ? String(visitor.user_id) : null;
}

export function verifiedBadge(thread) {
  const userId = verifiedUserId(thread);
  if (!userId) return null;
  return h('span', {
    class: 'badge badge-verified',
    title: `Signed in on your site as user ${userId} (signature checked)`,
    text: 'verified',
  });
}

// How long the visitor has waited for an answer: since their last unanswered message, or, once
// the AI has called for a teammate, since it did.
export function waitingSince(thread) {
  if (thread.mode === 'closed') return null;
  return thread.waiting_since || (thread.needs_human ? thread.escalated_at : null) || null;
}
