"""What the handoff counts for operators, beside the Kafka handling metrics every service has."""

from prometheus_client import Counter

from baton_events import AiReplyCommitted, AiReplySuppressed, EventEnvelope, ThreadModeChanged

AI_PROPOSALS = Counter(
    "baton_handoff_ai_proposals",
    "AI reply proposals arbitrated, by verdict: committed (the thread was AI-owned at that point "
    "of the log) or suppressed (a teammate's, or closed).",
    ["verdict"],
)
MODE_CHANGES = Counter(
    "baton_handoff_mode_changes",
    "Thread mode changes, by new mode and reason (staff_replied, idle, handed_back, ...).",
    ["mode", "reason"],
)


def count_output(output: EventEnvelope) -> None:
    match output:
        case AiReplyCommitted():
            AI_PROPOSALS.labels("committed").inc()
        case AiReplySuppressed():
            AI_PROPOSALS.labels("suppressed").inc()
        case ThreadModeChanged():
            MODE_CHANGES.labels(output.mode.value, output.reason).inc()
