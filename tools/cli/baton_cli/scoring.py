"""Scores of `baton eval`: retrieval, answer facts, escalation routing and latency. Pure.

Labels (kind, sources, answer_facts) are read here only; answering never sees them.
"""

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

ANSWERABLE = "answerable"
ESCALATE = "escalate"
OUT_OF_DOCS = "out_of_docs"
HANDOVER_REASONS = frozenset({"asked_for_human", "sensitive_topic"})
_MARKUP = re.compile(r"[*_`]")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Row:
    """One question with its labels and what Baton answered."""

    label: dict[str, Any]
    result: dict[str, Any]
    latency_ms: float


def normalise(text: str) -> str:
    return _SPACE.sub(" ", _MARKUP.sub("", text)).strip().lower()


def fact_coverage(answer: str, facts: Sequence[str]) -> float:
    if not facts:
        return 1.0
    body = normalise(answer)
    return sum(normalise(fact) in body for fact in facts) / len(facts)


def _rank_of_first_gold(ranking: Sequence[str], gold: set[str]) -> int | None:
    return next((index for index, page in enumerate(ranking) if page in gold), None)


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))], 1)


def summarise(rows: Sequence[Row]) -> dict[str, Any]:
    answerable = [r for r in rows if r.label["kind"] == ANSWERABLE]
    escalate_rows = [r for r in rows if r.label["kind"] == ESCALATE]
    ood_rows = [r for r in rows if r.label["kind"] == OUT_OF_DOCS]
    ranks = [
        _rank_of_first_gold(r.result.get("ranking", []), set(r.label["sources"]))
        for r in answerable
    ]
    cited_right = [bool(set(r.result["sources"]) & set(r.label["sources"])) for r in answerable]
    answered = [r for r in answerable if not r.result["escalate"]]
    flagged = [r for r in rows if r.result["escalate"]]
    true_flags = [r for r in flagged if r.label["kind"] != ANSWERABLE]
    handed_over = [
        r for r in escalate_rows if r.result["escalate"] and r.result["reason"] in HANDOVER_REASONS
    ]
    ood_flagged = [r for r in ood_rows if r.result["escalate"]]
    latencies = [r.latency_ms for r in rows]
    return {
        "questions": len(rows),
        "answerable": len(answerable),
        "recall@1": _ratio(sum(rank == 0 for rank in ranks), len(answerable)),
        "recall@3": _ratio(sum(rank is not None and rank < 3 for rank in ranks), len(answerable)),
        "mrr": round(sum(1 / (rank + 1) for rank in ranks if rank is not None) / len(ranks), 4)
        if ranks
        else None,
        "citation_recall": _ratio(sum(cited_right), len(answerable)),
        "answer_fact_coverage": round(
            statistics.fmean(
                fact_coverage(r.result["answer"], r.label["answer_facts"]) for r in answerable
            ),
            4,
        )
        if answerable
        else None,
        "mean_answer_chars": round(statistics.fmean(len(r.result["answer"]) for r in answered), 1)
        if answered
        else None,
        "escalation_precision": _ratio(len(true_flags), len(flagged)),
        "escalation_recall": _ratio(len(true_flags), len(escalate_rows) + len(ood_rows)),
        "escalate_rows_handed_over": _ratio(len(handed_over), len(escalate_rows)),
        "out_of_docs_detection": _ratio(len(ood_flagged), len(ood_rows)),
        "escalate_and_ood_routed_right": _ratio(
            sum(r.result["escalate"] for r in escalate_rows + ood_rows),
            len(escalate_rows) + len(ood_rows),
        ),
        "answerable_wrongly_escalated": _ratio(len(answerable) - len(answered), len(answerable)),
        "latency_ms_p50": _percentile(latencies, 0.5),
        "latency_ms_p95": _percentile(latencies, 0.95),
    }
