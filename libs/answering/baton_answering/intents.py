"""Recognises from meaning, not exact words, a message that needs a teammate.

The explicit rules (`escalation_rules`) catch the phrasings they know; this catches the rest:
a message is embedded (the same vector retrieval uses) and compared with example phrasings
of each reason (`intent_examples`). It is routed when its nearest example belongs to a reason,
that example is close enough, and it is nearer than every how-to look-alike ("how do I issue a
refund to a customer" stays with the docs).
"""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from baton_answering import intent_examples as examples
from baton_answering.escalation_rules import Escalation
from baton_events import EscalationReason
from baton_retrieval.embedder import Embedder

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Intent:
    reason: EscalationReason
    detail: str  # the topic name staff see, as the explicit rules name it
    phrasings: Sequence[str]


INTENTS: tuple[Intent, ...] = (
    Intent(EscalationReason.ASKED_FOR_HUMAN, "asked for a person", examples.ASKED_FOR_HUMAN),
    Intent(EscalationReason.SENSITIVE_TOPIC, "billing_dispute", examples.BILLING_DISPUTE),
    Intent(EscalationReason.SENSITIVE_TOPIC, "refund", examples.REFUND),
    Intent(EscalationReason.SENSITIVE_TOPIC, "cancellation", examples.CANCELLATION),
    Intent(EscalationReason.SENSITIVE_TOPIC, "privacy_request", examples.PRIVACY_REQUEST),
    Intent(EscalationReason.SENSITIVE_TOPIC, "permission_change", examples.PERMISSION_CHANGE),
    Intent(EscalationReason.SENSITIVE_TOPIC, "complaint", examples.ANGRY_COMPLAINT),
    # Not a sensitive request, but nothing the product's docs answer.
    Intent(EscalationReason.OUT_OF_DOCS, "about our service's terms", examples.VENDOR_TERMS),
)


@dataclass(frozen=True)
class IntentThresholds:
    """`min_similarity`: how close the nearest reason example must be. `margin`: how much
    nearer than the nearest how-to look-alike."""

    min_similarity: float
    margin: float


@dataclass(frozen=True)
class IntentScore:
    intent: Intent
    similarity: float  # to the nearest example of `intent`
    how_to_similarity: float  # to the nearest how-to look-alike


class IntentMatcher:
    def __init__(self, embedder: Embedder, thresholds: IntentThresholds) -> None:
        self._embedder = embedder
        self._thresholds = thresholds
        self._examples: Vector | None = None
        self._owners: list[int] = []  # index into INTENTS of each example row; -1 for how-to
        self._lock = asyncio.Lock()

    async def prepare(self) -> None:
        """Embed the examples now (at start-up) rather than in the first visitor's answer."""
        await self._example_vectors()

    async def match(self, vector: Vector) -> Escalation | None:
        score = await self.score(vector)
        if score.similarity < self._thresholds.min_similarity:
            return None
        if score.similarity - score.how_to_similarity < self._thresholds.margin:
            return None
        return Escalation(score.intent.reason, score.intent.detail)

    async def score(self, vector: Vector) -> IntentScore:
        """The nearest reason and how near; exposed for calibration."""
        matrix = await self._example_vectors()
        similarities = matrix @ vector
        owners = np.asarray(self._owners)
        how_to = float(similarities[owners < 0].max())
        reason_rows = np.flatnonzero(owners >= 0)
        best = int(reason_rows[int(np.argmax(similarities[reason_rows]))])
        return IntentScore(INTENTS[owners[best]], float(similarities[best]), how_to)

    async def _example_vectors(self) -> Vector:
        # Embedded once per matcher (one per process), on first use, off the event loop.
        if self._examples is None:
            async with self._lock:
                if self._examples is None:
                    texts, owners = _example_rows()
                    vectors = await asyncio.to_thread(self._embed_as_questions, texts)
                    self._owners = owners
                    self._examples = vectors
        return self._examples

    def _embed_as_questions(self, texts: list[str]) -> Vector:
        # Each example is embedded as the visitor's question is (`embed_one`), so a model that
        # gives queries a prefix (bge) compares like with like.
        return np.vstack([self._embedder.embed_one(text) for text in texts])


def _example_rows() -> tuple[list[str], list[int]]:
    texts: list[str] = []
    owners: list[int] = []
    for index, intent in enumerate(INTENTS):
        texts.extend(intent.phrasings)
        owners.extend([index] * len(intent.phrasings))
    texts.extend(examples.HOW_TO)
    owners.extend([-1] * len(examples.HOW_TO))
    return texts, owners
