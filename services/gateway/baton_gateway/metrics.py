"""What the gateway counts for operators, beside the Kafka handling metrics every service has."""

from prometheus_client import Counter, Gauge

AI_AFTER_TEAMMATE = Counter(
    "baton_ai_after_teammate",
    "AI messages delivered to a visitor after a teammate's message with no hand-back since. "
    "Must stay 0: alert on any increase.",
)
LATE_AI_COMMITS_WITHHELD = Counter(
    "baton_late_ai_commits_withheld",
    "Committed AI replies the gateway withheld because a teammate wrote first (the race the "
    "late-commit guard exists for; not an error).",
)
WIDGET_STREAMS_OPEN = Gauge(
    "baton_widget_streams_open", "Widget live streams (SSE) open on this gateway replica."
)
VISITOR_MESSAGES_ACCEPTED = Counter(
    "baton_visitor_messages_accepted", "Visitor messages the gateway accepted into the log."
)
