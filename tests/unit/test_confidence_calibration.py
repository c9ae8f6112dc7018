"""`baton calibrate`: a logistic curve fitted to eval answers, and what it reports."""

import json
import math
import random
from pathlib import Path
from typing import Any

import pytest

from baton_answering.calibration import ConfidenceCurve
from baton_cli.calibration import (
    NotEnoughAnswers,
    Point,
    answer_points,
    fit_curve,
    rank_auc,
    recalibrated,
)
from baton_cli.main import parser
from baton_cli.scoring import Row


def test_the_fit_recovers_the_curve_the_answers_were_drawn_from() -> None:
    truth = ConfidenceCurve(intercept=-3.0, slope=6.0)
    draw = random.Random(7)
    points = []
    for _ in range(4000):
        agreement = draw.random()
        held = draw.random() < truth.confidence(agreement)
        points.append(Point(agreement, 0.5, held))

    fitted = fit_curve(points)

    assert fitted.intercept == pytest.approx(-3.0, abs=0.3)
    assert fitted.slope == pytest.approx(6.0, abs=0.6)


def test_answers_that_all_held_or_too_few_answers_are_refused() -> None:
    with pytest.raises(NotEnoughAnswers, match="nothing to fit"):
        fit_curve([Point(0.5, 0.5, True)] * 30)
    with pytest.raises(NotEnoughAnswers, match="need 20"):
        fit_curve([Point(0.5, 0.5, True), Point(0.1, 0.5, False)] * 5)


def test_a_perfectly_separated_set_still_gives_a_finite_curve() -> None:
    points = [Point(0.9, 0.5, True)] * 15 + [Point(0.1, 0.5, False)] * 15
    curve = fit_curve(points)
    assert math.isfinite(curve.slope) and curve.slope > 0
    assert curve.confidence(0.9) > 0.9 > 0.1 > curve.confidence(0.1)


def test_auc_says_how_often_a_held_answer_outranks_one_that_did_not() -> None:
    assert rank_auc([0.9, 0.8, 0.1], [True, True, False]) == 1.0
    assert rank_auc([0.1, 0.9], [True, False]) == 0.0
    assert rank_auc([0.5, 0.5], [True, False]) == 0.5
    assert rank_auc([0.5], [True]) is None


def row(kind: str, answer: str, agreement: float | None, escalate: bool = False) -> Row:
    label = {"kind": kind, "sources": [], "answer_facts": ["Settings > Import"]}
    result: dict[str, Any] = {
        "answer": answer,
        "confidence": 0.5,
        "similarity": 0.6,
        "agreement": agreement,
        "escalate": escalate,
    }
    return Row(label, result, 1.0)


def test_points_are_answers_and_an_answer_to_a_question_for_a_teammate_held_nothing() -> None:
    rows = [
        row("answerable", "Open Settings > Import.", 0.8),
        row("answerable", "Open the import page.", 0.7),
        row("out_of_docs", "Settings > Import", 0.6),
        row("answerable", "bringing in a teammate", 0.0, escalate=True),
        row("answerable", "Settings > Import", None),  # a result file from before agreement
    ]
    assert answer_points(rows) == [
        Point(0.8, 0.6, True),
        Point(0.7, 0.6, False),
        Point(0.6, 0.6, False),
    ]


def test_recalibrated_rows_carry_the_curves_confidence_and_notices_keep_none() -> None:
    curve = ConfidenceCurve(intercept=0.0, slope=2.0)
    rows = [row("answerable", "x", 0.5), row("answerable", "y", 0.0, escalate=True)]
    rows[1].result["confidence"] = None
    out = recalibrated(rows, curve)
    assert out[0].result["confidence"] == curve.confidence(0.5) == 0.7311
    assert out[1].result["confidence"] is None


def calibrate(argv: list[str]) -> int:
    # The command without `main`, whose logging set-up would outlive this test.
    args = parser().parse_args(["calibrate", *argv])
    code: int = args.run(args)
    return code


def write_set(folder: Path, name: str, draws: list[tuple[float, bool]]) -> tuple[Path, Path]:
    questions = folder / f"{name}-questions.jsonl"
    results = folder / f"eval-{name}.jsonl"
    labels, answers = [], []
    for index, (agreement, held) in enumerate(draws):
        qid = f"{name}-{index}"
        labels.append(
            {"id": qid, "question": "q", "kind": "answerable", "sources": ["a.md"]}
            | {"answer_facts": ["Settings > Import"]}
        )
        answers.append(
            {"id": qid, "answer": "Open Settings > Import." if held else "Open the page."}
            | {"confidence": 0.5, "similarity": 0.6, "agreement": agreement}
            | {"escalate": False, "latency_ms": 1.0}
        )
    questions.write_text("\n".join(json.dumps(label) for label in labels) + "\n")
    results.write_text("\n".join(json.dumps(answer) for answer in answers) + "\n")
    return questions, results


def test_the_command_prints_the_fitted_curve_and_each_sets_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draw = random.Random(3)
    truth = ConfidenceCurve(intercept=-2.0, slope=4.0)

    def draws() -> list[tuple[float, bool]]:
        return [
            (a, draw.random() < truth.confidence(a)) for a in (draw.random() for _ in range(60))
        ]

    q1, r1 = write_set(tmp_path, "crm", draws())
    q2, r2 = write_set(tmp_path, "desk", draws())
    argv = ["--questions", str(q1), "--results", str(r1)]
    assert calibrate([*argv, "--questions", str(q2), "--results", str(r2)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ConfidenceCurve(intercept=-")
    assert "| eval-crm | 60 |" in out and "| eval-desk | 60 |" in out
    assert "| confidence shown |" in out


def test_the_command_names_a_missing_or_foreign_results_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions, results = write_set(tmp_path, "crm", [(0.5, True)] * 3)
    foreign = tmp_path / "foreign.jsonl"
    foreign.write_text(json.dumps({"id": "elsewhere-1", "answer": "x"}) + "\n")
    for bad, message in (
        (tmp_path / "missing.jsonl", "--results: "),
        (foreign, "is not `baton eval --out` of"),
    ):
        assert calibrate(["--questions", str(questions), "--results", str(bad)]) == 2
        assert message in capsys.readouterr().err
    assert calibrate(["--questions", str(questions), "--results", str(results)]) == 2
    assert "need 20" in capsys.readouterr().err
