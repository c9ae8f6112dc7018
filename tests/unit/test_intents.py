"""Requests for a teammate recognised by meaning, in words the explicit rules do not know.

The messages here are written for these tests; none comes from an evaluation set.
"""

import asyncio

import numpy as np
import numpy.typing as npt
import pytest

from baton_answering.escalation_rules import Escalation, detect
from baton_answering.intents import IntentMatcher, IntentThresholds
from baton_events import EscalationReason
from baton_retrieval.embedder import Embedder

DEFAULT = IntentThresholds(min_similarity=0.5, margin=0.17)


@pytest.fixture(scope="module")
def matcher() -> IntentMatcher:
    return IntentMatcher(Embedder(), DEFAULT)


def match(matcher: IntentMatcher, message: str) -> Escalation | None:
    async def go() -> Escalation | None:
        return await matcher.match(Embedder().embed_one(message))

    return asyncio.run(go())


@pytest.mark.parametrize(
    ("message", "detail"),
    [
        (
            "the person who managed our workspace quit, I need to be made an administrator",
            "permission_change",
        ),
        ("we see the same charge from you twice on our statement", "billing_dispute"),
        (
            "your app deleted a month of our notes, this is outrageous and I want compensation",
            "complaint",
        ),
    ],
)
def test_requests_the_rules_miss_go_to_a_teammate(
    matcher: IntentMatcher, message: str, detail: str
) -> None:
    assert detect(message) is None  # what this layer is for
    escalation = match(matcher, message)
    assert escalation == Escalation(EscalationReason.SENSITIVE_TOPIC, detail)


@pytest.mark.parametrize(
    "message",
    [
        "how do I refund an order for one of my customers?",
        "where can I change what a teammate is allowed to see?",
        "how do I export the list of deals as a spreadsheet?",
        "can I cancel an appointment I scheduled with a lead?",
    ],
)
def test_how_to_questions_on_the_same_topics_stay_with_the_docs(
    matcher: IntentMatcher, message: str
) -> None:
    assert match(matcher, message) is None


class CountingEmbedder(Embedder):
    def __init__(self) -> None:
        super().__init__()
        self.texts_embedded = 0

    def embed_one(self, text: str) -> npt.NDArray[np.float32]:
        self.texts_embedded += 1
        return super().embed_one(text)


def test_examples_are_embedded_once_per_matcher() -> None:
    embedder = CountingEmbedder()
    counted = IntentMatcher(embedder, DEFAULT)
    vector = Embedder().embed_one("hello")

    async def ask(times: int) -> None:
        for _ in range(times):
            await counted.match(vector)

    asyncio.run(ask(1))
    examples = embedder.texts_embedded
    asyncio.run(ask(3))
    assert examples > 50 and embedder.texts_embedded == examples


def test_prepared_examples_cost_the_first_match_nothing() -> None:
    embedder = CountingEmbedder()
    prepared = IntentMatcher(embedder, DEFAULT)
    vector = Embedder().embed_one("hello")

    async def prepare_then_match() -> tuple[int, int]:
        await prepared.prepare()
        after_prepare = embedder.texts_embedded
        await prepared.match(vector)
        return after_prepare, embedder.texts_embedded

    after_prepare, after_match = asyncio.run(prepare_then_match())
    assert after_prepare > 50 and after_match == after_prepare
