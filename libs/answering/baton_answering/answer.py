"""What answering replies: an extractive answer citing its pages, or a hand-over to a teammate."""

from dataclasses import dataclass

from baton_answering.calibration import CONFIDENCE_CURVE, ConfidenceCurve
from baton_answering.escalation_rules import Escalation
from baton_events import EscalationReason, SourceRef
from baton_retrieval.extract import extract_answer
from baton_retrieval.hybrid import Retrieval

OUT_OF_DOCS_TEXT = (
    "I couldn't find this in our help docs, so I don't want to guess. "
    "I'm bringing in a teammate who can help."
)
ASKED_FOR_HUMAN_TEXT = "Of course. I'm bringing in a teammate now; they'll reply here in this chat as soon as they can."
SENSITIVE_TOPIC_TEXT = (
    "A teammate needs to handle this one personally, so I'm bringing one in now. "
    "They'll reply here in this chat."
)
HANDOVER_TEXTS = {
    EscalationReason.ASKED_FOR_HUMAN: ASKED_FOR_HUMAN_TEXT,
    EscalationReason.SENSITIVE_TOPIC: SENSITIVE_TOPIC_TEXT,
    EscalationReason.OUT_OF_DOCS: OUT_OF_DOCS_TEXT,
}
# How many retrieved pages an answer reports as its ranking (for evaluation and logs).
RANKING_DEPTH = 5


@dataclass(frozen=True)
class Answer:
    text: str
    sources: tuple[SourceRef, ...]
    # The chance the answer holds what was asked (calibration.py), on answers only: a notice
    # ("not in the docs", "bringing in a teammate") quotes nothing, so a number on it would
    # describe nothing staff can check.
    confidence: float | None
    escalate: bool
    reason: EscalationReason | None
    # Paths of the cited pages within their knowledge source, in citation order.
    source_paths: tuple[str, ...] = ()
    # Retrieved pages, best first, whether or not the answer used them.
    ranking: tuple[str, ...] = ()
    # What the confidence is computed from (answers only), kept so `baton eval` can record
    # them and `baton calibrate` can refit the curve.
    similarity: float | None = None
    agreement: float | None = None


@dataclass(frozen=True)
class Confidence:
    """When retrieval is too weak to answer from.

    `min_similarity`: below this best dense similarity nothing in the docs is close enough.
    `named_similarity`: a question naming something the docs never mention ("QuickBooks",
    "HIPAA") needs this much more, since a close page about something else is no answer.
    """

    min_similarity: float
    named_similarity: float

    def covers(self, retrieval: Retrieval) -> bool:
        if not retrieval.pages or retrieval.top_similarity < self.min_similarity:
            return False
        return not (retrieval.unknown_names and retrieval.top_similarity < self.named_similarity)


def hand_over(escalation: Escalation, retrieval: Retrieval | None = None) -> Answer:
    ranking = ranking_of(retrieval) if retrieval else ()
    return Answer(HANDOVER_TEXTS[escalation.reason], (), None, True, escalation.reason, (), ranking)


def compose_answer(
    question: str,
    retrieval: Retrieval,
    *,
    confidence: Confidence,
    max_chars: int,
    curve: ConfidenceCurve = CONFIDENCE_CURVE,
) -> Answer:
    if not confidence.covers(retrieval):
        return hand_over(Escalation(EscalationReason.OUT_OF_DOCS, "low confidence"), retrieval)
    extract = extract_answer(question, retrieval.pages, retrieval.weigh, max_chars=max_chars)
    if not extract.text:
        return hand_over(Escalation(EscalationReason.OUT_OF_DOCS, "nothing to quote"), retrieval)
    sources = tuple(SourceRef(title=page.title, url=page.url) for page in extract.pages)
    return Answer(
        extract.text,
        sources,
        curve.confidence(retrieval.agreement),
        False,
        None,
        tuple(page.source for page in extract.pages),
        ranking_of(retrieval),
        similarity=round(retrieval.top_similarity, 4),
        agreement=round(retrieval.agreement, 4),
    )


def ranking_of(retrieval: Retrieval) -> tuple[str, ...]:
    return tuple(page.source for page in retrieval.pages[:RANKING_DEPTH])
