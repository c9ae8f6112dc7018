"""What visitors ask: the questions of the single-visitor bench, which fit the demo help center."""

from tests.bench.answer_latency import QUESTIONS


def question(visitor_index: int, turn: int) -> str:
    """A different mix per visitor, so concurrent visitors do not all ask the same thing."""
    return QUESTIONS[(visitor_index * 3 + turn) % len(QUESTIONS)]
