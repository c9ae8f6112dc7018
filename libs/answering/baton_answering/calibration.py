"""The confidence staff see on an answer: the chance that it holds what the visitor needed.

It is a logistic curve over how far the separate rankings agree on the first page
(`Retrieval.agreement`), fitted by `baton calibrate` on both dev sets' answers (an answer
"held" when it contained every expected fact; an answer to a question that needed a teammate
held nothing). The best similarity, shown before, ranked right answers below wrong ones on the
help center the pipeline was not tuned on (docs/quality.md, "Confidence").
"""

import math
from dataclasses import dataclass


def logistic(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))


@dataclass(frozen=True)
class ConfidenceCurve:
    intercept: float
    slope: float

    def confidence(self, agreement: float) -> float:
        return round(logistic(self.intercept + self.slope * agreement), 4)


# `baton calibrate` over `make eval`'s two result files (docs/quality.md has the run).
CONFIDENCE_CURVE = ConfidenceCurve(intercept=-2.905, slope=4.599)
