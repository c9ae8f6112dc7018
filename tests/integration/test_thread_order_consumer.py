"""The conversation subscriber on the real broker: threads that share a partition are handled
concurrently, and the group's committed offset never passes a record still being handled, so
a crash loses nothing (the next member of the group gets it again)."""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from faststream.kafka import KafkaBroker

from baton_events import Topics, VisitorMessageReceived, encode_event, event_key
from baton_runtime.consumer import subscribe_in_thread_order
from baton_runtime.delivery import Delivery, Handler
from baton_runtime.kafka import ConsumerIdentity
from tests.support.infra import infra

pytestmark = pytest.mark.integration
WAIT_SECONDS = 20.0


def _message(thread: str, n: int) -> VisitorMessageReceived:
    return VisitorMessageReceived(
        thread_id=thread,
        account_id="a1",
        bot_id="b1",
        message_id=f"{thread}-m{n}",
        client_message_id=f"c{n}",
        text=f"question {n}",
    )


@contextlib.asynccontextmanager
async def _one_partition_topic() -> AsyncIterator[str]:
    async with _topic(f"t{uuid.uuid4().hex[:10]}.conversation.events", 1) as topic:
        yield topic


@contextlib.asynccontextmanager
async def _topic(topic: str, partitions: int) -> AsyncIterator[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=infra().kafka_bootstrap)
    await admin.start()
    try:
        await admin.create_topics(
            [NewTopic(topic, num_partitions=partitions, replication_factor=1)]
        )
        yield topic
    finally:
        with contextlib.suppress(Exception):
            await admin.delete_topics([topic])
        await admin.close()


async def _publish(topic: str, *events: VisitorMessageReceived) -> None:
    async with KafkaBroker(infra().kafka_bootstrap) as broker:
        for event in events:
            await broker.publish(encode_event(event), topic=topic, key=event_key(event))


@contextlib.asynccontextmanager
async def _subscribed(topic: str | Topics, group: str, handle: Handler) -> AsyncIterator[None]:
    broker = KafkaBroker(infra().kafka_bootstrap)
    identity = ConsumerIdentity(group, None, 6_000, batch_max_records=100, batch_wait_ms=10)
    topics = (
        topic
        if isinstance(topic, Topics)
        else Topics(prefix=topic.removesuffix("conversation.events"))
    )
    subscribe_in_thread_order(broker, topics, identity, handle, title="t", description="t")
    await broker.start()
    try:
        yield
    finally:
        await broker.stop()


async def _committed(group: str, topic: str, partition: int = 0) -> int | None:
    admin = AIOKafkaAdminClient(bootstrap_servers=infra().kafka_bootstrap)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    found: Any = offsets.get(TopicPartition(topic, partition))
    return None if found is None or found.offset < 0 else int(found.offset)


async def test_threads_in_one_partition_are_handled_concurrently() -> None:
    async with _one_partition_topic() as topic:
        await _publish(topic, _message("t1", 1), _message("t2", 1), _message("t1", 2))
        t2_done = asyncio.Event()
        handled: list[str] = []
        all_done = asyncio.Event()

        async def handle(delivery: Delivery) -> None:
            event: Any = delivery.event
            if event.message_id == "t1-m1":
                # Waits for t2, which lies after it in the same partition.
                await asyncio.wait_for(t2_done.wait(), timeout=WAIT_SECONDS)
            handled.append(event.message_id)
            if event.thread_id == "t2":
                t2_done.set()
            if len(handled) == 3:
                all_done.set()

        async with _subscribed(topic, f"g{uuid.uuid4().hex[:8]}", handle):
            await asyncio.wait_for(all_done.wait(), timeout=WAIT_SECONDS)
        assert handled == ["t2-m1", "t1-m1", "t1-m2"]


async def test_the_commit_never_passes_a_record_in_hand_and_a_new_member_gets_it() -> None:
    group = f"g{uuid.uuid4().hex[:8]}"
    async with _one_partition_topic() as topic:
        await _publish(topic, _message("t1", 1), _message("t2", 1), _message("t2", 2))
        later_done = asyncio.Event()
        handled: list[str] = []

        async def stuck_on_t1(delivery: Delivery) -> None:
            event: Any = delivery.event
            if event.thread_id == "t1":
                await asyncio.sleep(3600)  # the member dies while handling it
            handled.append(event.message_id)
            if len(handled) == 2:
                later_done.set()

        async with _subscribed(topic, group, stuck_on_t1):
            await asyncio.wait_for(later_done.wait(), timeout=WAIT_SECONDS)
            # t2's records (offsets 1, 2) are done, t1's (offset 0) is not: nothing committed.
            assert await _committed(group, topic) is None
        # The member stopped without finishing t1's record (its task is cancelled).
        assert await _committed(group, topic) is None

        again: list[str] = []
        redelivered = asyncio.Event()

        async def healthy(delivery: Delivery) -> None:
            assert isinstance(delivery.event, VisitorMessageReceived)
            again.append(delivery.event.message_id)
            if len(again) == 3:
                redelivered.set()

        async with _subscribed(topic, group, healthy):
            await asyncio.wait_for(redelivered.wait(), timeout=WAIT_SECONDS)
            for _ in range(50):
                if await _committed(group, topic) == 3:
                    break
                await asyncio.sleep(0.1)
        assert again == ["t1-m1", "t2-m1", "t2-m2"]
        assert await _committed(group, topic) == 3


async def test_a_grown_topic_is_read_only_after_the_group_finished_the_previous_one() -> None:
    """Generation 1 (3 partitions) after generation 0 (1 partition), both already holding a
    thread's events when the member starts, as after a stop-and-grow: no event of generation
    1 may be handled before the group has committed generation 0 to its end, else the
    thread's folds would run out of order."""
    grown = Topics(prefix=f"t{uuid.uuid4().hex[:10]}.", generation=1)
    old = grown.previous_conversation_events
    assert old is not None
    group = f"g{uuid.uuid4().hex[:8]}"
    async with _topic(old, 1), _topic(grown.conversation_events, 3):
        await _publish(old, *(_message("t1", n) for n in range(1, 6)))
        await _publish(grown.conversation_events, *(_message("t1", n) for n in range(6, 11)))
        handled: list[tuple[str, int]] = []
        old_committed_at_first_new: list[int | None] = []
        all_done = asyncio.Event()

        async def handle(delivery: Delivery) -> None:
            assert isinstance(delivery.event, VisitorMessageReceived)
            if delivery.position >= 1 << 40 and not old_committed_at_first_new:
                old_committed_at_first_new.append(await _committed(group, old))
            handled.append((delivery.event.message_id, delivery.position))
            if len(handled) == 10:
                all_done.set()

        async with _subscribed(grown, group, handle):
            await asyncio.wait_for(all_done.wait(), timeout=WAIT_SECONDS)
        assert old_committed_at_first_new == [5]
        assert [message for message, _ in handled] == [f"t1-m{n}" for n in range(1, 11)]
        positions = [position for _, position in handled]
        assert positions == sorted(positions) and positions[:5] == [0, 1, 2, 3, 4]
