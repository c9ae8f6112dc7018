"""A conversation subscriber's batch: threads run concurrently, one thread's events in log
order, a failure stops its own lane only and is raised once every lane is done."""

import asyncio
from typing import Any

import pytest
from aiokafka import ConsumerRecord

from baton_events import ConversationEvent, Topics, VisitorMessageReceived, encode_event
from baton_runtime.consumer import Delivery, LaneKey, handle_in_thread_order, thread_lanes

TOPICS = Topics(prefix="unit.")
TOPIC = TOPICS.conversation_events


def _message(thread: str, n: int) -> VisitorMessageReceived:
    return VisitorMessageReceived(
        thread_id=thread,
        account_id="a1",
        bot_id="b1",
        message_id=f"{thread}-m{n}",
        client_message_id=f"c{n}",
        text=f"question {n}",
    )


def _record(
    offset: int, value: bytes, partition: int = 0, topic: str = TOPIC
) -> ConsumerRecord[Any, Any]:
    return ConsumerRecord(
        topic=topic,
        partition=partition,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=None,
        value=value,
        checksum=None,
        serialized_key_size=0,
        serialized_value_size=len(value),
        headers=(),
    )


def _batch(*events: ConversationEvent | bytes) -> tuple[list[Any], list[ConversationEvent | None]]:
    records: list[Any] = []
    decoded: list[ConversationEvent | None] = []
    for offset, event in enumerate(events):
        if isinstance(event, bytes):
            records.append(_record(offset, event))
            decoded.append(None)
        else:
            records.append(_record(offset, encode_event(event)))
            decoded.append(event)
    return records, decoded


def _message_id(delivery: Delivery) -> str:
    assert isinstance(delivery.event, VisitorMessageReceived)
    return delivery.event.message_id


def test_lanes_group_a_batch_by_thread_in_log_order() -> None:
    records, events = _batch(
        _message("t1", 1), _message("t2", 1), b"{unreadable", _message("t1", 2)
    )
    lanes = thread_lanes(records, events, TOPICS)
    assert [[(_message_id(d), d.position) for d in lane] for lane in lanes] == [
        [("t1-m1", 0), ("t1-m2", 3)],
        [("t2-m1", 1)],
    ]


async def test_threads_run_concurrently_and_each_thread_in_order() -> None:
    records, events = _batch(_message("t1", 1), _message("t1", 2), _message("t2", 1))
    t2_started = asyncio.Event()
    handled: list[str] = []

    async def handle(delivery: Delivery) -> None:
        event: Any = delivery.event
        if event.message_id == "t1-m1":
            # t1's first event waits for t2's: one record at a time would never get there.
            await asyncio.wait_for(t2_started.wait(), timeout=2)
        if event.thread_id == "t2":
            t2_started.set()
        handled.append(event.message_id)

    await handle_in_thread_order(records, events, handle, TOPICS)
    assert handled == ["t2-m1", "t1-m1", "t1-m2"]


async def test_a_failure_stops_its_thread_and_is_raised_after_the_others_finish() -> None:
    records, events = _batch(
        _message("t1", 1), _message("t2", 1), _message("t1", 2), _message("t2", 2)
    )
    handled: list[str] = []

    async def handle(delivery: Delivery) -> None:
        event: Any = delivery.event
        if event.message_id == "t1-m1":
            raise RuntimeError("store down")
        await asyncio.sleep(0)
        handled.append(event.message_id)

    with pytest.raises(RuntimeError, match="store down"):
        await handle_in_thread_order(records, events, handle, TOPICS)
    # t1-m2 must not pass the failed t1-m1; t2 finished before the batch failed.
    assert handled == ["t2-m1", "t2-m2"]


async def test_the_lane_hook_runs_once_before_its_lane_with_all_of_it() -> None:
    records, events = _batch(_message("t1", 1), _message("t2", 1), _message("t1", 2))
    seen: list[str] = []

    async def before_lane(lane: list[Delivery]) -> None:
        seen.append("lane:" + ",".join(_message_id(delivery) for delivery in lane))

    async def handle(delivery: Delivery) -> None:
        seen.append(_message_id(delivery))

    await handle_in_thread_order(
        records, events, handle, TOPICS, LaneKey.PARTITION, before_lane=before_lane
    )
    assert seen == ["lane:t1-m1,t2-m1,t1-m2", "t1-m1", "t2-m1", "t1-m2"]


async def test_a_failed_lane_hook_runs_none_of_its_events_and_is_raised() -> None:
    records, events = _batch(_message("t1", 1), _message("t2", 1))
    handled: list[str] = []

    async def before_lane(lane: list[Delivery]) -> None:
        if any(_message_id(delivery) == "t1-m1" for delivery in lane):
            raise RuntimeError("insert failed")

    async def handle(delivery: Delivery) -> None:
        handled.append(_message_id(delivery))

    with pytest.raises(RuntimeError, match="insert failed"):
        await handle_in_thread_order(records, events, handle, TOPICS, before_lane=before_lane)
    assert handled == ["t2-m1"]  # the other thread's lane ran


def test_partition_lanes_keep_a_partition_in_offset_order_across_threads() -> None:
    """The inbox's lanes: its live stream resumes from per-partition positions, so a later
    offset of another thread must never be stored before an earlier one."""
    records, events = _batch(_message("t1", 1), _message("t2", 1), _message("t1", 2))
    records.append(_record(3, encode_event(_message("t3", 1)), partition=1))
    events.append(_message("t3", 1))
    lanes = thread_lanes(records, events, TOPICS, LaneKey.PARTITION)
    assert [[(_message_id(d), d.position) for d in lane] for lane in lanes] == [
        [("t1-m1", 0), ("t2-m1", 1), ("t1-m2", 2)],
        [("t3-m1", 3)],
    ]


def test_a_later_generation_orders_after_every_offset_of_the_earlier_one() -> None:
    """After a generation change a thread may sit at a low offset of the new topic: its
    positions there must still order after its events in the previous topic."""
    grown = Topics(prefix="unit.", generation=1)
    assert grown.previous_conversation_events == TOPIC
    old = _record(9_000, encode_event(_message("t1", 1)), partition=5, topic=TOPIC)
    new = _record(0, encode_event(_message("t1", 2)), partition=11, topic=grown.conversation_events)
    (old_lane,) = thread_lanes([old], [_message("t1", 1)], grown)
    (new_lane,) = thread_lanes([new], [_message("t1", 2)], grown)
    assert old_lane[0].position == 9_000
    assert new_lane[0].position > old_lane[0].position
    assert new_lane[0].position < 2**53  # exact as a JSON number in browsers


def test_a_record_of_another_topic_has_no_conversation_position() -> None:
    grown = Topics(prefix="unit.", generation=2)
    with pytest.raises(ValueError, match="not a conversation topic"):
        grown.conversation_position(TOPIC, 0)  # generation 0: two generations back
