"""The reliability table: answers by the confidence shown, and how many held their facts."""

from typing import Any

from baton_cli.reliability import markdown_table, reliability
from baton_cli.scoring import Row


def row(kind: str, answer: str, confidence: float | None, escalate: bool = False) -> Row:
    label = {"kind": kind, "sources": [], "answer_facts": ["Settings > Import"]}
    result: dict[str, Any] = {
        "answer": answer,
        "confidence": confidence,
        "escalate": escalate,
        "sources": [],
    }
    return Row(label, result, 1.0)


def test_answers_fall_in_bands_and_notices_are_left_out() -> None:
    rows = [
        row("answerable", "Open **Settings > Import**.", 0.72),
        row("answerable", "Open the import page.", 0.79),
        # Answering a question that needed a teammate holds nothing.
        row("out_of_docs", "Settings > Import", 0.75),
        row("answerable", "Open Settings > Import.", 0.41),
        row("answerable", "I'm bringing in a teammate.", None, escalate=True),
    ]

    bands = reliability(rows)

    assert [(band.label, band.answers, band.held_all_facts) for band in bands] == [
        ("40-50%", 1, 1),
        ("70-80%", 3, 1),
    ]
    assert bands[1].mean_fact_coverage == round(1 / 3, 3)
    assert "| 70-80% | 3 | 1 | 0.33 | 0.33 |" in markdown_table(bands)
