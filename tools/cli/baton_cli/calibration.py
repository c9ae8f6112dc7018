"""`baton calibrate`: fit the confidence curve (baton_answering.calibration) to eval answers.

Pure; reads `baton eval` result rows with their labels. Each answer is a point (its rankings'
agreement, whether it held every expected fact); a logistic curve through them is fitted by
Newton's method. Two numbers fitted on many answers from more than one help center: few enough
that the curve cannot learn single questions (docs/quality.md).
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace

from baton_answering.calibration import ConfidenceCurve, logistic
from baton_cli.scoring import ANSWERABLE, Row, fact_coverage

MIN_ANSWERS = 20
_RIDGE = 1e-3  # keeps the fit finite when the points separate perfectly
_STEPS = 50


class NotEnoughAnswers(ValueError):
    pass


@dataclass(frozen=True)
class Point:
    agreement: float
    similarity: float
    held: bool


def answer_points(rows: Sequence[Row]) -> list[Point]:
    """Answers with the signals they were scored from; notices and old result files (without
    `agreement`) are left out."""
    points = []
    for row in rows:
        result = row.result
        if result["escalate"] or result.get("agreement") is None:
            continue
        held = row.label["kind"] == ANSWERABLE and (
            fact_coverage(result["answer"], row.label["answer_facts"]) == 1.0
        )
        points.append(Point(result["agreement"], result.get("similarity") or 0.0, held))
    return points


def fit_curve(points: Sequence[Point]) -> ConfidenceCurve:
    if len(points) < MIN_ANSWERS:
        raise NotEnoughAnswers(f"{len(points)} answers with an agreement; need {MIN_ANSWERS}")
    if len({point.held for point in points}) < 2:
        raise NotEnoughAnswers("every answer held its facts, or none did: nothing to fit")
    intercept = slope = 0.0
    for _ in range(_STEPS):
        # Gradient and Hessian of the log loss in (intercept, slope).
        g0 = g1 = h00 = h01 = h11 = 0.0
        for point in points:
            p = logistic(intercept + slope * point.agreement)
            error = p - float(point.held)
            weight = p * (1 - p)
            x = point.agreement
            g0 += error
            g1 += error * x
            h00 += weight
            h01 += weight * x
            h11 += weight * x * x
        g1 += _RIDGE * slope
        h00 += _RIDGE
        h11 += _RIDGE
        determinant = h00 * h11 - h01 * h01
        if determinant <= 0:
            break
        intercept -= (h11 * g0 - h01 * g1) / determinant
        slope -= (h00 * g1 - h01 * g0) / determinant
    return ConfidenceCurve(round(intercept, 3), round(slope, 3))


def rank_auc(scores: Sequence[float], held: Sequence[bool]) -> float | None:
    """The chance that an answer which held scores above one which did not (0.5: no better
    than a coin)."""
    right = [score for score, ok in zip(scores, held, strict=True) if ok]
    wrong = [score for score, ok in zip(scores, held, strict=True) if not ok]
    if not right or not wrong:
        return None
    wins = sum((r > w) + 0.5 * (r == w) for r in right for w in wrong)
    return round(wins / (len(right) * len(wrong)), 3)


def recalibrated(rows: Sequence[Row], curve: ConfidenceCurve) -> list[Row]:
    """The rows as if `curve` had set their confidence, for the reliability table."""
    out = []
    for row in rows:
        agreement = row.result.get("agreement")
        if row.result["escalate"] or agreement is None:
            out.append(row)
            continue
        result = {**row.result, "confidence": curve.confidence(agreement)}
        out.append(replace(row, result=result))
    return out


@dataclass(frozen=True)
class SetReport:
    name: str
    answers: int
    held: int
    similarity_auc: float | None
    agreement_auc: float | None
    # Fitted without this set's answers: how the curve fares on a help center it never saw.
    held_out_mean_confidence: float | None


def set_report(name: str, rows: Sequence[Row], other_rows: Sequence[Row]) -> SetReport:
    points = answer_points(rows)
    held = [point.held for point in points]
    held_out: float | None = None
    try:
        curve = fit_curve(answer_points(other_rows))
        if points:
            held_out = round(
                sum(curve.confidence(point.agreement) for point in points) / len(points), 3
            )
    except NotEnoughAnswers:
        pass
    return SetReport(
        name,
        len(points),
        sum(held),
        rank_auc([point.similarity for point in points], held),
        rank_auc([point.agreement for point in points], held),
        held_out,
    )


def markdown_sets(reports: Sequence[SetReport]) -> str:
    lines = [
        "| set | answers | held every fact | AUC of similarity | AUC of agreement "
        "| mean confidence, curve fitted without this set |",
        "|---|---|---|---|---|---|",
    ]
    for r in reports:
        lines.append(
            f"| {r.name} | {r.answers} | {r.held} ({r.held / max(r.answers, 1):.2f}) "
            f"| {_cell(r.similarity_auc)} | {_cell(r.agreement_auc)} "
            f"| {_cell(r.held_out_mean_confidence)} |"
        )
    return "\n".join(lines)


def _cell(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"
