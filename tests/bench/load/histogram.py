"""Latencies in an HDR histogram (microsecond resolution, 3 significant digits)."""

from dataclasses import dataclass, field
from typing import Any

from hdrh.histogram import HdrHistogram

LOWEST_US = 1
HIGHEST_US = 10 * 60 * 1_000_000  # ten minutes: far beyond any wait limit of the bench
SIGNIFICANT_DIGITS = 3


def _new_histogram() -> Any:
    return HdrHistogram(LOWEST_US, HIGHEST_US, SIGNIFICANT_DIGITS)


@dataclass
class LatencyHistogram:
    _hdr: Any = field(default_factory=_new_histogram)

    def record_ms(self, latency_ms: float) -> None:
        microseconds = min(HIGHEST_US, max(LOWEST_US, round(latency_ms * 1000)))
        self._hdr.record_value(microseconds)

    @property
    def count(self) -> int:
        return int(self._hdr.get_total_count())

    def percentile_ms(self, percentile: float) -> float | None:
        if self.count == 0:
            return None
        return round(int(self._hdr.get_value_at_percentile(percentile)) / 1000, 1)

    def max_ms(self) -> float | None:
        return round(int(self._hdr.get_max_value()) / 1000, 1) if self.count else None

    def summary(self, *percentiles: float) -> dict[str, float | None]:
        """{"p50": ..., "p99": ...} in ms, None when nothing was recorded."""
        return {_label(p): self.percentile_ms(p) for p in percentiles}


def _label(percentile: float) -> str:
    return f"p{percentile:g}".replace(".", "_")
