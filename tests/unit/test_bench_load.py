"""The pure parts of `make bench`: arrival schedules, client addresses, summaries and the
result document's shape."""

import asyncio
import ipaddress
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from baton_events.envelope import stable_event_id
from tests.bench.cpu_per_answer import calls_per_answer
from tests.bench.load.addresses import AddressPool, require_loopback, visitor_address
from tests.bench.load.histogram import LatencyHistogram
from tests.bench.load.results import RESULT_FIELDS, Measured, result_document, write_results
from tests.bench.load.schedule import constant_rate, run_on_schedule, spread_starts
from tests.bench.load.sse import SseFrame, SseFrameBuilder
from tests.bench.load.sustained import StepResult, sustained_rate, visitors_for
from tests.bench.load.tally import AnswerTally
from tests.bench.load.widget_client import expected_reply_id


def test_starts_are_spread_evenly_from_zero() -> None:
    assert spread_starts(4, 1.0) == [0.0, 0.25, 0.5, 0.75]
    assert spread_starts(0, 1.0) == []


def test_constant_rate_offers_rate_times_duration_arrivals() -> None:
    offsets = constant_rate(50, 2.0)
    assert len(offsets) == 100
    assert offsets[0] == 0.0 and offsets[-1] < 2.0
    assert offsets[1] - offsets[0] == pytest.approx(0.02)
    assert constant_rate(0, 10) == []


async def test_arrivals_do_not_wait_for_earlier_work() -> None:
    """Open loop: a slow first task does not hold back the next arrival."""
    started: list[float] = []
    began = time.perf_counter()

    async def slow(index: int) -> None:
        started.append(time.perf_counter() - began)
        await asyncio.sleep(0.3 if index == 0 else 0)

    assert await run_on_schedule([0.0, 0.05], slow, deadline_s=2) == 0
    assert started[1] < 0.2


async def test_schedule_cuts_what_outlives_its_deadline() -> None:
    async def stuck(index: int) -> None:
        await asyncio.sleep(10 if index else 0)

    assert await run_on_schedule([0.0, 0.0, 0.0], stuck, deadline_s=0.1) == 2


async def test_schedule_reports_a_failed_arrival() -> None:
    async def broken(index: int) -> None:
        raise RuntimeError("session refused")

    with pytest.raises(RuntimeError, match="session refused"):
        await run_on_schedule([0.0], broken, deadline_s=1)


def test_visitor_addresses_are_distinct_loopback_and_not_the_servers() -> None:
    pool = AddressPool()
    addresses = [pool.take() for _ in range(1000)]
    assert len(set(addresses)) == 1000
    for address in addresses:
        parsed = ipaddress.ip_address(address)
        assert parsed in ipaddress.ip_network("127.0.0.0/8")
        assert parsed not in ipaddress.ip_network("127.0.0.0/16")
        assert not address.endswith((".0", ".255"))
    assert visitor_address(0) == "127.1.0.1"
    assert visitor_address(254) == "127.1.1.1"


def test_only_loopback_urls_are_accepted() -> None:
    assert require_loopback("http://127.0.0.1:8100") == "http://127.0.0.1:8100"
    for url in ("http://example.com", "http://10.0.0.1:8100", "http://localhost:8100"):
        with pytest.raises(ValueError):
            require_loopback(url)


def test_histogram_percentiles_in_ms() -> None:
    histogram = LatencyHistogram()
    assert histogram.summary(50, 99) == {"p50": None, "p99": None}
    for latency_ms in range(1, 101):
        histogram.record_ms(float(latency_ms))
    summary = histogram.summary(50, 95, 99)
    assert summary["p50"] == pytest.approx(50, abs=0.1)
    assert summary["p95"] == pytest.approx(95, abs=0.1)
    assert summary["p99"] == pytest.approx(99, abs=0.1)


def test_tally_counts_escalations_and_records_a_missing_answer_at_the_wait_limit() -> None:
    tally = AnswerTally()
    tally.answer(120.0, cited=True)
    tally.answer(180.0, cited=False)
    tally.no_answer(30_000.0)
    tally.refusal(30_000.0)
    summary = tally.summary(visitors=2)
    assert (summary["answers"], summary["escalated"], summary["unanswered"]) == (2, 1, 1)
    assert summary["refused"] == 1
    assert summary["later_than_10s"] == 1
    assert tally.latencies.count == 4
    assert summary["p99"] == pytest.approx(30_000, rel=0.001)
    assert summary["visitors"] == 2


def test_sustained_rate_is_the_last_step_that_held_before_the_first_miss() -> None:
    steps = [
        StepResult(10, 200.0, 250, 0),
        StepResult(25, 900.0, 625, 0),
        StepResult(50, 1500.0, 1250, 0),
        StepResult(100, 300.0, 2500, 0),  # never reached in a run; ignored all the same
    ]
    assert sustained_rate(steps) == 25
    assert sustained_rate([StepResult(10, 200.0, 250, 3)]) == 0  # a lost answer is a miss
    assert visitors_for(10) == 25


def _measured(**changes: object) -> Measured:
    fields: dict[str, object] = {
        "answer_latency_ms": {
            "c1": {"p50": 40.0, "p95": 60.0, "p99": 90.0},
            "c50": {"p50": 100.0, "p95": 200.0, "p99": 400.0},
            "c200": {"p50": 300.0, "p95": 600.0, "p99": 900.0},
        },
        "sustained_msgs_per_s": 100.0,
        "staff_to_visitor_ms": {"p50": 20.0, "p99": 80.0},
        "staff_to_staff_ms": {"p50": 25.0, "p99": 90.0},
        "kafka_rtt_ms": {"p50": 5.0, "p99": 12.0},
        "stored_messages": 1200,
        "answer_p50_ms_at_100k_stored": 45.0,
        "store_cpu_s": 3.0,
        "answers": 1500,
        "machine": {"nproc": 2},
    }
    fields.update(changes)
    return Measured(**fields)  # type: ignore[arg-type]


def test_result_document_has_exactly_the_fields_of_the_issue() -> None:
    document = result_document(_measured())
    assert tuple(document) == RESULT_FIELDS
    assert set(document["answer_latency_ms"]) == {"c1", "c50", "c200"}
    assert document["overhead_ratio"] == 8.0  # c1 p50 40 ms over a 5 ms Kafka round trip
    assert document["store_cpu_s_per_1k_answers"] == 2.0
    json.dumps(document)  # serialisable as it is


def test_result_document_without_a_measure_says_null_instead_of_dividing_by_zero() -> None:
    document = result_document(_measured(kafka_rtt_ms={"p50": None, "p99": None}, answers=0))
    assert document["overhead_ratio"] is None
    assert document["store_cpu_s_per_1k_answers"] is None


def test_results_are_dated_and_copied_to_latest(tmp_path: Path) -> None:
    document = result_document(_measured())
    written = write_results(document, tmp_path, datetime(2026, 12, 4, 17, 5, tzinfo=UTC))
    assert written.name == "2026-12-04T1705Z.json"
    assert json.loads((tmp_path / "latest.json").read_text()) == document


def test_sse_frames_carry_event_id_and_data() -> None:
    builder = SseFrameBuilder()
    lines = ["retry: 1000", "", ": keep-alive", "", "id: 7", "event: message"]
    lines += ['data: {"id": "m1",', 'data:  "author": "ai"}', ""]
    frames = [frame for line in lines if (frame := builder.feed(line))]
    assert frames == [SseFrame("message", "7", {"id": "m1", "author": "ai"})]
    assert builder.feed("data: {}") is None and builder.feed("") == SseFrame("message", None, {})


def test_a_reply_is_matched_by_the_id_the_agent_derives_from_the_question() -> None:
    assert expected_reply_id("m-1") == str(stable_event_id("m-1", "ai_reply"))
    assert expected_reply_id("m-1") != expected_reply_id("m-2")


def test_store_calls_are_counted_per_answer_and_idle_commands_left_out() -> None:
    before = {"find": 100, "insert": 40, "update": 7, "delete": 3}
    after = {"find": 120, "insert": 80, "update": 7, "delete": 3}
    assert calls_per_answer(before, after, answered=10) == {"find": 2.0, "insert": 4.0}
