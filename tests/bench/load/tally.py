"""What one scenario observed about answers, and its summary in the results."""

from dataclasses import dataclass, field
from typing import Any

from tests.bench.load.histogram import LatencyHistogram

LATE_MS = 10_000.0


@dataclass
class AnswerTally:
    """Answer latencies; a question left unanswered, or refused by the gateway, is recorded
    at the wait limit, so the percentiles show it instead of hiding it."""

    latencies: LatencyHistogram = field(default_factory=LatencyHistogram)
    answered: int = 0
    escalated: int = 0
    unanswered: int = 0
    refused: int = 0
    later_than_10s: int = 0

    def answer(self, latency_ms: float, *, cited: bool) -> None:
        self.latencies.record_ms(latency_ms)
        self.answered += 1
        # The agent's escalation notices (out of the docs, unresolved) carry no sources.
        self.escalated += 0 if cited else 1
        self.later_than_10s += 1 if latency_ms > LATE_MS else 0

    def no_answer(self, waited_ms: float) -> None:
        self.latencies.record_ms(waited_ms)
        self.unanswered += 1
        self.later_than_10s += 1 if waited_ms > LATE_MS else 0

    def refusal(self, waited_ms: float) -> None:
        self.latencies.record_ms(waited_ms)
        self.refused += 1

    def summary(self, visitors: int) -> dict[str, Any]:
        return {
            **self.latencies.summary(50, 95, 99),
            "visitors": visitors,
            "answers": self.answered,
            "escalated": self.escalated,
            "unanswered": self.unanswered,
            "refused": self.refused,
            "later_than_10s": self.later_than_10s,
        }
