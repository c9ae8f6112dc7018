"""A conversation subscriber's lanes: threads run concurrently, one thread's events in log
order, records keep coming while lanes run, a failure holds its own lane only, and the offset
to commit never passes an unfinished record."""

import asyncio
from typing import Any

import pytest
from aiokafka import ConsumerRecord, TopicPartition

from baton_events import ConversationEvent, Topics, VisitorMessageReceived, encode_event
from baton_runtime import delivery as delivery_module
from baton_runtime import lane_feed as lane_feed_module
from baton_runtime.delivery import Delivery, LaneKey
from baton_runtime.lane_feed import LaneFeed
from baton_runtime.lanes import LaneItem, LanePipeline

TOPICS = Topics(prefix="unit.")
TOPIC = TOPICS.conversation_events
P0 = TopicPartition(TOPIC, 0)
P1 = TopicPartition(TOPIC, 1)


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


class _Consumer:
    """What the feed asks of aiokafka's consumer: its assignment, and commits."""

    def __init__(self, *partitions: TopicPartition) -> None:
        self.owned = set(partitions or (P0, P1))
        self.commits: list[dict[TopicPartition, int]] = []

    def assignment(self) -> set[TopicPartition]:
        return self.owned

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.commits.append(dict(offsets))


async def _settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


def _pipeline(
    handled: list[str], gates: dict[str, asyncio.Event] | None = None
) -> LanePipeline[str]:
    async def run(message_id: str) -> None:
        if gates and message_id in gates:
            await gates[message_id].wait()
        handled.append(message_id)

    return LanePipeline(run)


def _add(
    pipeline: LanePipeline[str], lane: str, offset: int, partition: TopicPartition = P0
) -> None:
    pipeline.add(lane, LaneItem(partition, offset, f"{lane}-{offset}"))


async def test_threads_run_concurrently_and_each_thread_in_order() -> None:
    handled: list[str] = []
    t1_first = asyncio.Event()
    pipeline = _pipeline(handled, {"t1-0": t1_first})
    _add(pipeline, "t1", 0)
    _add(pipeline, "t2", 1)
    _add(pipeline, "t1", 2)
    await _settle()
    # t2 lies after t1's first record in the partition and ran while t1 waited; t1's second
    # record waits behind its first.
    assert handled == ["t2-1"]
    t1_first.set()
    await _settle()
    assert handled == ["t2-1", "t1-0", "t1-2"]


async def test_the_commit_position_is_the_lowest_unfinished_record() -> None:
    handled: list[str] = []
    slow = asyncio.Event()
    pipeline = _pipeline(handled, {"t1-10": slow})
    _add(pipeline, "t1", 10)
    _add(pipeline, "t2", 11)
    _add(pipeline, "t3", 12, P1)
    await _settle()
    assert handled == ["t2-11", "t3-12"]
    # Partition 0's first record is unfinished: its position has not moved from where this
    # member started; partition 1's moved past its record.
    assert pipeline.take_commit_positions() == {P1: 13}
    slow.set()
    await _settle()
    assert pipeline.take_commit_positions() == {P0: 12}
    assert pipeline.take_commit_positions() == {}  # nothing moved since


async def test_a_record_that_needs_no_work_moves_the_position() -> None:
    pipeline = _pipeline([])
    pipeline.seen(P0, 4)  # unreadable, or of a type this consumer does not know
    assert pipeline.take_commit_positions() == {P0: 5}


async def test_a_record_fetched_again_is_not_run_twice() -> None:
    handled: list[str] = []
    pipeline = _pipeline(handled)
    _add(pipeline, "t1", 0)
    _add(pipeline, "t1", 0)
    await _settle()
    _add(pipeline, "t1", 0)
    await _settle()
    assert handled == ["t1-0"]


async def test_fetching_waits_for_room_when_the_lanes_are_full() -> None:
    t2_gate = asyncio.Event()
    handled: list[str] = []

    async def run(value: str) -> None:
        if value in ("t1-0", "t2-1"):
            await (asyncio.Event() if value == "t1-0" else t2_gate).wait()
        handled.append(value)

    pipeline: LanePipeline[str] = LanePipeline(run, max_in_flight=2)
    pipeline.add("t1", LaneItem(P0, 0, "t1-0"))
    pipeline.add("t2", LaneItem(P0, 1, "t2-1"))
    room = asyncio.create_task(pipeline.room())
    await _settle()
    assert not room.done()
    t2_gate.set()
    await asyncio.wait_for(room, timeout=1)
    assert handled == ["t2-1"] and pipeline.in_flight == 1
    await pipeline.close(grace_seconds=0)


async def test_the_group_hook_runs_before_each_group_with_all_of_it() -> None:
    seen: list[str] = []
    release_first = asyncio.Event()

    async def hook(group: list[str]) -> None:
        seen.append("group:" + ",".join(group))

    async def run(value: str) -> None:
        if value == "p-0":
            await release_first.wait()
        seen.append(value)

    pipeline: LanePipeline[str] = LanePipeline(run, hook)
    pipeline.add("p", LaneItem(P0, 0, "p-0"))
    pipeline.add("p", LaneItem(P0, 1, "p-1"))
    await _settle()
    # Queued while the lane's worker was busy: the next group, and its hook runs first.
    pipeline.add("p", LaneItem(P0, 2, "p-2"))
    release_first.set()
    await _settle()
    assert seen == ["group:p-0,p-1", "p-0", "p-1", "group:p-2", "p-2"]


async def test_leaving_partitions_finish_or_are_cancelled_and_stay_uncommitted() -> None:
    handled: list[str] = []
    stuck = asyncio.Event()
    pipeline = _pipeline(handled, {"t1-0": stuck})
    _add(pipeline, "t1", 0)
    _add(pipeline, "t2", 1)
    _add(pipeline, "t3", 5, P1)
    await pipeline.release([P0], grace_seconds=0.2)
    assert handled == ["t2-1", "t3-5"]
    assert pipeline.in_flight == 0  # t1's record was cancelled, not finished
    assert pipeline.take_commit_positions() == {P1: 6}  # P0 stays before t1's record
    stuck.set()
    await _settle()
    assert handled == ["t2-1", "t3-5"]


async def test_the_feed_retries_a_failed_event_in_place_and_its_thread_waits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(delivery_module, "RETRY_BACKOFF_SECONDS", 0.01)
    attempts: list[str] = []

    async def handle(delivery: Delivery) -> None:
        event: Any = delivery.event
        attempts.append(event.message_id)
        if event.message_id == "t1-m1" and attempts.count("t1-m1") < 3:
            raise RuntimeError("store down")

    feed = LaneFeed(handle, None, max_in_flight=10, group_id="g")
    messages = [_message("t1", 1), _message("t2", 1), _message("t1", 2)]
    events: list[ConversationEvent | None] = list(messages)
    records = [_record(offset, encode_event(message)) for offset, message in enumerate(messages)]
    kafka = _Consumer()
    feed.take(kafka, records, events, TOPICS, LaneKey.THREAD)
    await _settle()
    # t2 went on; t1's second message waits behind its failing first.
    assert attempts[:2] == ["t1-m1", "t2-m1"] and "t1-m2" not in attempts
    assert feed.pipeline.take_commit_positions() == {}
    for _ in range(100):
        if "t1-m2" in attempts:
            break
        await asyncio.sleep(0.01)
    assert attempts == ["t1-m1", "t2-m1", "t1-m1", "t1-m1", "t1-m2"]
    await asyncio.sleep(lane_feed_module.COMMIT_SPACING_SECONDS)
    assert kafka.commits and kafka.commits[-1] == {P0: 3}


async def test_partition_lanes_keep_a_partition_in_offset_order_across_threads() -> None:
    """The inbox's lanes: its live stream resumes from per-partition positions, so a later
    offset of another thread must never be stored before an earlier one."""
    order: list[tuple[str, int]] = []
    t1_first = asyncio.Event()

    async def handle(delivery: Delivery) -> None:
        event: Any = delivery.event
        if event.message_id == "t1-m1":
            await t1_first.wait()
        order.append((event.message_id, delivery.position))

    feed = LaneFeed(handle, None, max_in_flight=10, group_id="g")
    events: list[ConversationEvent | None] = [
        _message("t1", 1),
        _message("t2", 1),
        _message("t3", 1),
    ]
    records = [
        _record(0, encode_event(_message("t1", 1))),
        _record(1, encode_event(_message("t2", 1))),
        _record(7, encode_event(_message("t3", 1)), partition=1),
    ]
    feed.take(_Consumer(), records, events, TOPICS, LaneKey.PARTITION)
    await _settle()
    assert order == [("t3-m1", 7)]  # the other partition ran; t2 waits behind t1
    t1_first.set()
    await _settle()
    assert order == [("t3-m1", 7), ("t1-m1", 0), ("t2-m1", 1)]


async def test_records_of_a_partition_this_member_no_longer_owns_are_left_alone() -> None:
    handled: list[str] = []

    async def handle(delivery: Delivery) -> None:
        event: Any = delivery.event
        handled.append(event.message_id)

    feed = LaneFeed(handle, None, max_in_flight=10, group_id="g")
    records = [_record(0, encode_event(_message("t1", 1)), partition=1)]
    feed.take(_Consumer(P0), records, [_message("t1", 1)], TOPICS, LaneKey.THREAD)
    await _settle()
    assert handled == [] and feed.pipeline.take_commit_positions() == {}


def test_a_later_generation_orders_after_every_offset_of_the_earlier_one() -> None:
    """After a generation change a thread may sit at a low offset of the new topic: its
    positions there must still order after its events in the previous topic."""
    grown = Topics(prefix="unit.", generation=1)
    assert grown.previous_conversation_events == TOPIC
    old = grown.conversation_position(TOPIC, 9_000)
    new = grown.conversation_position(grown.conversation_events, 0)
    assert old == 9_000
    assert new > old
    assert new < 2**53  # exact as a JSON number in browsers


def test_a_record_of_another_topic_has_no_conversation_position() -> None:
    grown = Topics(prefix="unit.", generation=2)
    with pytest.raises(ValueError, match="not a conversation topic"):
        grown.conversation_position(TOPIC, 0)  # generation 0: two generations back


async def test_a_closed_pipeline_takes_nothing_until_it_is_opened_again() -> None:
    handled: list[str] = []
    pipeline = _pipeline(handled)
    await pipeline.close(grace_seconds=0)
    _add(pipeline, "t1", 0)
    await _settle()
    assert handled == [] and pipeline.take_commit_positions() == {}
    pipeline.reopen()  # the subscriber started again: positions begin where it reads
    _add(pipeline, "t1", 0)
    await _settle()
    assert handled == ["t1-0"] and pipeline.take_commit_positions() == {P0: 1}
