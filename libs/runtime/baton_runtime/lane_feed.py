"""A subscriber's records fed to its `LanePipeline`, the offsets it commits, its stop and
its rebalances (`baton_runtime.consumer.subscribe_in_thread_order` wires it)."""

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, ConsumerRecord, TopicPartition

from baton_events import ConversationEvent, Topics
from baton_runtime.delivery import Delivery, Handler, LaneHook, LaneKey, deliver_one, handling_at
from baton_runtime.lanes import LaneItem, LanePipeline

log = structlog.get_logger()

# How long a partition's lanes may take to finish when it leaves this member (rebalance or
# stop) before they are cancelled; what they had not finished is handled by the next owner.
LANE_GRACE_SECONDS = 5.0
# At most one offset commit per subscriber in this time: each is a round trip to the group
# coordinator, and a commit after every record would cost the broker more than the records.
COMMIT_SPACING_SECONDS = 0.1


def lane_of(
    record: ConsumerRecord[Any, Any], event: ConversationEvent, topics: Topics, key: LaneKey
) -> tuple[str | int, Delivery]:
    """The record's lane (its thread, or its partition) and its delivery."""
    position = topics.conversation_position(record.topic, record.offset)
    delivery = Delivery(event=event, partition=record.partition, position=position)
    return (event.thread_id if key is LaneKey.THREAD else record.partition), delivery


class LaneFeed:
    """A subscriber's `LanePipeline`, its commits and its stop."""

    def __init__(
        self,
        handle: Handler,
        before_lane: LaneHook | None,
        *,
        max_in_flight: int,
        group_id: str,
    ) -> None:
        self._handle = handle
        self._before_lane = before_lane
        self._group_id = group_id
        self.pipeline: LanePipeline[Delivery] = LanePipeline(
            self._run, self._run_hook if before_lane is not None else None, max_in_flight
        )
        self._consumer: AIOKafkaConsumer | None = None
        self._committer: asyncio.Task[None] | None = None

    async def room(self) -> None:
        await self.pipeline.room()

    def take(
        self,
        kafka_consumer: AIOKafkaConsumer,
        records: Sequence[ConsumerRecord[Any, Any]],
        events: Sequence[ConversationEvent | None],
        topics: Topics,
        key: LaneKey,
    ) -> None:
        self._consumer = kafka_consumer
        if self._committer is None or self._committer.done():
            self._committer = asyncio.create_task(self._commit_progress())
        # A batch fetched just before a rebalance may hold partitions this member no longer
        # owns: their new owner handles them.
        owned = kafka_consumer.assignment()
        for record, event in zip(records, events, strict=True):
            partition = TopicPartition(record.topic, record.partition)
            if partition not in owned:
                continue
            if event is None:
                self.pipeline.seen(partition, record.offset)
                continue
            lane, delivery = lane_of(record, event, topics, key)
            self.pipeline.add(lane, LaneItem(partition, record.offset, delivery))

    async def run_inline(
        self,
        records: Sequence[ConsumerRecord[Any, Any]],
        events: Sequence[ConversationEvent | None],
        topics: Topics,
        key: LaneKey,
    ) -> None:
        """The records' lanes run now, concurrently, each in log order, outside the pipeline
        (a handler's own publish is delivered inside it, so a lane of the pipeline would wait
        for itself); the first failure is raised once every lane is done. Nothing is
        committed."""
        lanes: dict[str | int, list[Delivery]] = {}
        for record, event in zip(records, events, strict=True):
            if event is not None:
                lane, delivery = lane_of(record, event, topics, key)
                lanes.setdefault(lane, []).append(delivery)

        async def run(lane: list[Delivery]) -> None:
            if self._before_lane is not None:
                await self._before_lane(lane)
            for delivery in lane:
                await deliver_one(delivery, self._handle)

        outcomes = await asyncio.gather(*map(run, lanes.values()), return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome

    async def release(self, partitions: list[TopicPartition]) -> None:
        """Before partitions leave this member: their lanes finish (or are cancelled after the
        grace) and what finished is committed."""
        await self.pipeline.release(partitions, LANE_GRACE_SECONDS)
        await self._commit()
        self.pipeline.forget(partitions)

    def attach(self, subscriber: Any) -> None:
        """On stop: no more records, the lanes finish (or are cancelled after the grace), what
        finished is committed, and only then the Kafka consumer stops. A start (again) takes
        records from wherever the consumer's position begins."""
        stop_subscriber = subscriber.stop

        async def stop() -> None:
            await self.pipeline.close(LANE_GRACE_SECONDS)
            if self._committer is not None:
                self._committer.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._committer
            await self._commit()
            await stop_subscriber()

        start_subscriber = subscriber.start

        async def start() -> None:
            self.pipeline.reopen()
            await start_subscriber()

        subscriber.stop = stop
        subscriber.start = start

    async def _run(self, delivery: Delivery) -> None:
        while True:
            try:
                await deliver_one(delivery, self._handle)
                return
            except Exception:  # logged, and paused, by deliver_one
                continue

    async def _run_hook(self, deliveries: list[Delivery]) -> None:
        assert self._before_lane is not None
        first = deliveries[0]
        while True:
            try:
                async with handling_at(
                    first.position, "lane_hook_failed", partition=str(first.partition)
                ):
                    await self._before_lane(deliveries)
                return
            except Exception:  # logged, and paused, by _handling
                continue

    async def _commit_progress(self) -> None:
        while True:
            await self.pipeline.progressed()
            await self._commit()
            await asyncio.sleep(COMMIT_SPACING_SECONDS)

    async def _commit(self) -> None:
        positions = self.pipeline.take_commit_positions()
        if not positions or self._consumer is None:
            return
        try:
            await self._consumer.commit(positions)
        except Exception as exc:
            # A rebalance under way, the broker away, a consumer stopping: offered again at
            # the next commit; what is not committed is handled again by the next owner.
            log.warning("offsets_not_committed", group=self._group_id, error=repr(exc))
            self.pipeline.commit_failed(positions)


class RebalanceCallback(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, feed: LaneFeed, callback: Callable[[], None] | None) -> None:
        self._feed = feed
        self._callback = callback

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        await self._feed.release(list(revoked))
        if self._callback is not None:
            self._callback()

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        if self._callback is not None:
            self._callback()
