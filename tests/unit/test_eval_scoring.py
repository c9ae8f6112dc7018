from typing import Any

from baton_cli.scoring import Row, fact_coverage, summarise


def row(
    kind: str,
    result: dict[str, Any],
    sources: list[str] | None = None,
    facts: list[str] | None = None,
) -> Row:
    label = {
        "id": "x",
        "question": "q",
        "kind": kind,
        "sources": sources or [],
        "answer_facts": facts or [],
    }
    base = {"answer": "", "sources": [], "escalate": False, "reason": None, "ranking": []}
    return Row(label, {**base, **result}, 10.0)


def test_fact_coverage_ignores_case_and_markdown_emphasis() -> None:
    assert (
        fact_coverage("Open **Administration > Import**.", ["administration > import", "UTF-8"])
        == 0.5
    )


def test_summary_scores_retrieval_facts_and_routing() -> None:
    rows = [
        row(
            "answerable",
            {"answer": "Use Save Filter.", "ranking": ["a.md", "b.md"], "sources": ["a.md"]},
            ["a.md"],
            ["Save Filter"],
        ),
        row(
            "answerable",
            {"answer": "Hm.", "ranking": ["c.md", "d.md", "b.md"], "sources": ["c.md"]},
            ["b.md"],
            ["x", "y"],
        ),
        row(
            "answerable",
            {"escalate": True, "reason": "out_of_docs", "ranking": ["z.md"]},
            ["q.md"],
            ["f"],
        ),
        row("escalate", {"escalate": True, "reason": "asked_for_human"}),
        row("escalate", {"escalate": True, "reason": "out_of_docs"}),
        row("out_of_docs", {"escalate": False}),
    ]
    summary = summarise(rows)
    assert summary["recall@1"] == round(1 / 3, 4)
    assert summary["recall@3"] == round(2 / 3, 4)
    assert summary["mrr"] == round((1 + 1 / 3) / 3, 4)
    assert summary["answer_fact_coverage"] == round(1 / 3, 4)
    assert summary["escalation_precision"] == round(2 / 3, 4)
    assert summary["escalation_recall"] == round(2 / 3, 4)
    assert summary["escalate_rows_handed_over"] == 0.5
    assert summary["out_of_docs_detection"] == 0.0
    assert summary["answerable_wrongly_escalated"] == round(1 / 3, 4)
    assert summary["mean_answer_chars"] == round((16 + 3) / 2, 1)
    assert summary["latency_ms_p95"] == 10.0
