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
    "Time to compose one reply (retrieval and answer), without the Kafka hops.",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
