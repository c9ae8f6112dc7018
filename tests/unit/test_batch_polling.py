"""An idle conversation subscriber waits in aiokafka's poll and never sleeps after an empty
one: a record that comes while it is idle is handled at once (`wake_on_records`)."""

from typing import Any

import anyio
import pytest
from aiokafka import ConsumerRecord, TopicPartition
from faststream.kafka import KafkaBroker

from baton_runtime.consumer import wake_on_records


class _Consumer:
    """What the subscriber's poll uses of aiokafka's consumer: `getmany`."""

    def __init__(self, batches: list[dict[TopicPartition, list[Any]]]) -> None:
        self.batches = batches
        self.polls: list[dict[str, int | None]] = []

    async def getmany(
        self, *partitions: TopicPartition, timeout_ms: int = 0, max_records: int | None = None
    ) -> dict[TopicPartition, list[Any]]:
        self.polls.append({"timeout_ms": timeout_ms, "max_records": max_records})
        return self.batches.pop(0) if self.batches else {}


def _record(partition: int, offset: int) -> ConsumerRecord[Any, Any]:
    return ConsumerRecord(
        topic="t",
        partition=partition,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=None,
        value=b"{}",
        checksum=None,
        serialized_key_size=0,
        serialized_value_size=2,
        headers=(),
    )


def _batch_subscriber(wait_ms: int) -> Any:
    broker = KafkaBroker("127.0.0.1:1")  # never connected: only the subscriber object is used
    return broker.subscriber("t", batch=True, batch_timeout_ms=wait_ms, max_records=7)


@pytest.fixture
def sleeping(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(anyio, "sleep", sleep)  # faststream calls anyio.sleep
    return slept


async def test_faststreams_own_poll_sleeps_after_an_empty_one(sleeping: list[float]) -> None:
    # Why wake_on_records exists: if faststream stops sleeping, it can go.
    subscriber = _batch_subscriber(wait_ms=500)
    assert await subscriber.get_msg(_Consumer([])) == ()
    assert sleeping == [0.5]


async def test_an_empty_poll_returns_at_once_without_sleeping(sleeping: list[float]) -> None:
    subscriber = _batch_subscriber(wait_ms=500)
    wake_on_records(subscriber, max_records=7, wait_ms=500)
    consumer = _Consumer([])
    assert await subscriber.get_msg(consumer) == ()
    assert sleeping == []
    assert consumer.polls == [{"timeout_ms": 500, "max_records": 7}]


async def test_a_poll_returns_every_partitions_records_in_offset_order(
    sleeping: list[float],
) -> None:
    subscriber = _batch_subscriber(wait_ms=500)
    wake_on_records(subscriber, max_records=7, wait_ms=500)
    first = [_record(0, 4), _record(0, 5)]
    second = [_record(1, 9)]
    consumer = _Consumer([{}, {TopicPartition("t", 0): first, TopicPartition("t", 1): second}])
    assert await subscriber.get_msg(consumer) == ()
    assert await subscriber.get_msg(consumer) == (*first, *second)
    assert sleeping == []
