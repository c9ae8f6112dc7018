"""How far the confidence staff see can be trusted: of the answers shown at 70-80 %, how many
held the facts. Pure; reads `baton eval` result rows with their labels.

Only answers count (notices carry no confidence). An answer to a question that needed a
teammate holds no facts: it should not have been given.
"""

import json
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from baton_cli.evaluate import read_questions
from baton_cli.scoring import ANSWERABLE, Row, fact_coverage

BAND_WIDTH = 0.1


@dataclass(frozen=True)
class Band:
    low: float  # confidence shown, from `low` (inclusive) to `low + BAND_WIDTH`
    answers: int
    held_all_facts: int
    mean_fact_coverage: float

    @property
    def label(self) -> str:
        return f"{round(self.low * 100)}-{round((self.low + BAND_WIDTH) * 100)}%"


def reliability(rows: Sequence[Row]) -> list[Band]:
    coverage_by_band: dict[int, list[float]] = {}
    for row in rows:
        confidence = row.result.get("confidence")
        if row.result["escalate"] or confidence is None:
            continue
        band = min(int(confidence / BAND_WIDTH + 1e-9), round(1 / BAND_WIDTH) - 1)
        coverage = (
            fact_coverage(row.result["answer"], row.label["answer_facts"])
            if row.label["kind"] == ANSWERABLE
            else 0.0
        )
        coverage_by_band.setdefault(band, []).append(coverage)
    return [
        Band(
            low=round(band * BAND_WIDTH, 2),
            answers=len(coverages),
            held_all_facts=sum(coverage == 1.0 for coverage in coverages),
            mean_fact_coverage=round(statistics.fmean(coverages), 3),
        )
        for band, coverages in sorted(coverage_by_band.items())
    ]


def markdown_table(bands: Sequence[Band]) -> str:
    lines = [
        "| confidence shown | answers | held every fact | share | mean fact coverage |",
        "|---|---|---|---|---|",
    ]
    for band in bands:
        share = band.held_all_facts / band.answers
        lines.append(
            f"| {band.label} | {band.answers} | {band.held_all_facts} | {share:.2f} "
            f"| {band.mean_fact_coverage:.2f} |"
        )
    return "\n".join(lines)


def read_rows(questions_file: Path, results_file: Path) -> list[Row]:
    """A question set and the `--out` file of its `baton eval` run, joined by id."""
    labels = {label["id"]: label for label in read_questions(questions_file)}
    results = [json.loads(line) for line in results_file.read_text().splitlines() if line.strip()]
    return [Row(labels[result["id"]], result, result["latency_ms"]) for result in results]
