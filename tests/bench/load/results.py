"""The result document of one run, exactly the fields of issue 11, and where it is written."""

import json
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

RESULT_FIELDS = (
    "answer_latency_ms",
    "sustained_msgs_per_s",
    "staff_to_visitor_ms",
    "staff_to_staff_ms",
    "kafka_rtt_ms",
    "overhead_ratio",
    "stored_messages",
    "answer_p50_ms_at_100k_stored",
    "store_cpu_s_per_1k_answers",
    "machine",
)
SCENARIOS = ("c1", "c50", "c200")


@dataclass(frozen=True)
class Measured:
    answer_latency_ms: dict[str, dict[str, Any]]  # c1/c50/c200 -> p50, p95, p99 and counts
    sustained_msgs_per_s: float
    staff_to_visitor_ms: dict[str, float | None]
    staff_to_staff_ms: dict[str, float | None]
    kafka_rtt_ms: dict[str, float | None]
    stored_messages: int
    answer_p50_ms_at_100k_stored: float | None
    store_cpu_s: float
    answers: int  # answered in the cN runs, over which store_cpu_s was measured
    machine: dict[str, Any]


def ratio(numerator: float | None, denominator: float | None, digits: int = 2) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, digits)


def result_document(measured: Measured) -> dict[str, Any]:
    c1_p50 = measured.answer_latency_ms.get("c1", {}).get("p50")
    document = {
        "answer_latency_ms": {name: measured.answer_latency_ms.get(name) for name in SCENARIOS},
        "sustained_msgs_per_s": measured.sustained_msgs_per_s,
        "staff_to_visitor_ms": measured.staff_to_visitor_ms,
        "staff_to_staff_ms": measured.staff_to_staff_ms,
        "kafka_rtt_ms": measured.kafka_rtt_ms,
        "overhead_ratio": ratio(c1_p50, measured.kafka_rtt_ms.get("p50")),
        "stored_messages": measured.stored_messages,
        "answer_p50_ms_at_100k_stored": measured.answer_p50_ms_at_100k_stored,
        "store_cpu_s_per_1k_answers": ratio(measured.store_cpu_s * 1000, measured.answers, 3),
        "machine": measured.machine,
    }
    assert tuple(document) == RESULT_FIELDS
    return document


def write_results(document: dict[str, Any], folder: Path, now: datetime) -> Path:
    """bench/results/<UTC date and time>.json, copied to latest.json; returns the dated file."""
    folder.mkdir(parents=True, exist_ok=True)
    dated = folder / f"{now.strftime('%Y-%m-%dT%H%MZ')}.json"
    dated.write_text(json.dumps(document, indent=2) + "\n")
    shutil.copyfile(dated, folder / "latest.json")
    return dated
