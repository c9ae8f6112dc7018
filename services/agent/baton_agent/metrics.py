"""What the agent counts for operators, beside the Kafka handling metrics every service has."""

from prometheus_client import Counter, Histogram

REPLIES_PROPOSED = Counter(
    "baton_agent_replies_proposed",
    "Replies the agent proposed, by outcome: answered from the docs, or escalated.",
    ["outcome"],
)
ESCALATIONS = Counter(
    "baton_agent_escalations", "Escalations the agent raised, by reason.", ["reason"]
)
STAYED_SILENT = Counter(
    "baton_agent_stayed_silent",
    "Visitor messages the agent did not answer, by why: the thread is a teammate's (or closed), "
    "a teammate is typing, or a teammate took it while the answer was composed.",
    ["why"],
)
COMPOSE_SECONDS = Histogram(
    "baton_agent_compose_seconds",
    "Time from the handoff's verdict to the composed reply, without the Kafka hops: the part "
    "of retrieval and answer the draft had not done while the verdict was awaited.",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
MODE_WAIT_SECONDS = Histogram(
    "baton_agent_mode_wait_seconds",
    "Time waiting for the handoff's verdict on a visitor message (the answer is drafted "
    "meanwhile).",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
DRAFTS_DISCARDED = Counter(
    "baton_agent_drafts_discarded",
    "Answers drafted while the verdict was awaited and dropped unfinished: the thread was a "
    "teammate's, a teammate was typing, or handling failed.",
)
