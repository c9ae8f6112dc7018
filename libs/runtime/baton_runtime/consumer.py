"""The path every event takes into a handler: decode with the codec's tolerance, bind log
context, retry; conversation events in per-thread lanes (`subscribe_in_thread_order`)."""

import asyncio
import contextlib
import enum
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any, TypeVar

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, ConsumerRecord, TopicPartition
from faststream import AckPolicy
from faststream.exceptions import AckMessage
from faststream.kafka import KafkaBroker, KafkaMessage
from faststream.message import StreamMessage

from baton_events import ConversationEvent, Topics, decode_event
from baton_events.codec import UnsupportedEventError
from baton_runtime.generations import GenerationGate
from baton_runtime.kafka import ConsumerIdentity
from baton_runtime.lanes import LaneItem, LanePipeline
from baton_runtime.logging import log_context as bound_log_context
from baton_runtime.metrics import record_lag

log = structlog.get_logger()

RETRY_BACKOFF_SECONDS = 1.0
# How long a partition's lanes may take to finish when it leaves this member (rebalance or
# stop) before they are cancelled; what they had not finished is handled by the next owner.
LANE_GRACE_SECONDS = 5.0
# At most one offset commit per subscriber in this time: each is a round trip to the group
# coordinator, and a commit after every record would cost the broker more than the records.
COMMIT_SPACING_SECONDS = 0.1

_Event = TypeVar("_Event")


@dataclass(frozen=True)
class Delivery:
    """An event with its place in the log: one thread lives in one partition of a topic
    generation, so the position (generation and offset, `Topics.conversation_position`)
    orders a thread's events."""

    event: ConversationEvent
    partition: int
    position: int


Handler = Callable[[Delivery], Awaitable[None]]
# Runs once before a lane's events, with all of them: work a consumer can do for the whole
# lane in one call (the inbox stores the lane's messages in one insert).
LaneHook = Callable[[list[Delivery]], Awaitable[None]]
EventDecoder = Callable[[StreamMessage[Any]], Awaitable[_Event]]


def tolerant_decoder(decode: Callable[[bytes], _Event | None]) -> EventDecoder[_Event]:
    """A subscriber's decoder that applies the codec, so the handler receives a typed event.

    The codec drops the fields of a newer minor version. A type this consumer does not know,
    or a body it cannot read, never reaches the handler: the record is acknowledged
    (AckMessage, which the subscriber's ack policy, DURABLE_ACK, honours), since retrying
    cannot fix it; an unreadable one stays in the log for inspection.
    """

    async def decoder(message: StreamMessage[Any]) -> _Event:
        record: Any = message.raw_message
        try:
            event = decode(message.body)
        except (UnsupportedEventError, ValueError) as exc:
            log.error(
                "event_unreadable",
                topic=record.topic,
                offset=record.offset,
                partition=record.partition,
                error=str(exc),
            )
            raise AckMessage() from exc
        if event is None:
            raise AckMessage()  # a type this consumer does not know
        return event

    return decoder


conversation_decoder: EventDecoder[ConversationEvent] = tolerant_decoder(decode_event)


@contextlib.asynccontextmanager
async def handling(message: KafkaMessage, failure: str, **log_context: str) -> AsyncIterator[None]:
    """Bind the event's log context around its handling. An exception propagates so the
    subscriber (NACK_ON_ERROR) seeks back and the record is redelivered; the pause keeps a
    failing store from spinning."""
    record: Any = message.raw_message
    async with _handling(record.offset, failure, **log_context):
        yield


@contextlib.asynccontextmanager
async def _handling(offset: int, failure: str, **log_context: str) -> AsyncIterator[None]:
    with bound_log_context(**log_context):
        try:
            yield
        except Exception:
            log.exception(failure, offset=offset)
            await asyncio.sleep(RETRY_BACKOFF_SECONDS)
            raise


async def deliver_one(delivery: Delivery, handle: Handler) -> None:
    """Run `handle` for one conversation event, its log context bound."""
    event = delivery.event
    async with _handling(
        delivery.position,
        "event_handler_failed",
        thread_id=event.thread_id,
        event_id=str(event.event_id),
        event_type=event.type,
    ):
        await handle(delivery)


class LaneKey(enum.Enum):
    """What may run concurrently. THREAD: different threads, also within one partition.
    PARTITION: different partitions only, for a consumer whose readers rely on a partition
    being folded in offset order (the inbox: "a thread at position X means everything of its
    partition up to X is stored" is its live stream's resume point)."""

    THREAD = "thread"
    PARTITION = "partition"


def _readable(record: ConsumerRecord[Any, Any]) -> ConversationEvent | None:
    """Unreadable records and unknown types are skipped: retrying cannot fix them (the
    record stays in the log for inspection)."""
    try:
        return decode_event(record.value)
    except (UnsupportedEventError, ValueError) as exc:
        log.error(
            "event_unreadable",
            topic=record.topic,
            offset=record.offset,
            partition=record.partition,
            error=str(exc),
        )
        return None


def subscribe_in_thread_order(
    broker: KafkaBroker,
    topics: Topics,
    consumer: ConsumerIdentity,
    handle: Handler,
    *,
    title: str,
    description: str,
    lanes: LaneKey = LaneKey.THREAD,
    on_rebalance: Callable[[], None] | None = None,
    before_lane: LaneHook | None = None,
) -> None:
    """Subscribe `handle` to a conversation topic in the service's group, in lanes.

    Records are fetched in batches (aiokafka `getmany`) and fed to a `LanePipeline`: one
    worker per thread (or partition) runs its events in log order, different threads run
    concurrently, and fetching goes on while they run (up to `2 × batch_max_records` records
    in flight). The offset committed for a partition is its lowest unfinished record, at most
    every `COMMIT_SPACING_SECONDS`: a crash loses nothing, the next member handles again what
    was not committed, and every handler is idempotent. A failed event is retried in place
    after a pause; only its own lane waits.

    Why not faststream's concurrency: `max_workers` runs records concurrently only with
    ACK_FIRST (committed before handling: a crash loses records) and keeps no order; its
    partition-concurrent subscriber never runs two threads of one partition at once. Why not
    a batch handled as a unit (what this did before): the next batch waited for the batch's
    slowest thread (the agent's wait for the handoff's verdict), at every hop of an answer.

    Across a generation change of the conversation topic the subscriber reads both
    generations and `GenerationGate` holds the newer one back until the group has finished
    the older.

    `on_rebalance` is called whenever partitions are revoked or assigned: a handler that keeps
    per-thread state in memory drops it there, since other replicas may fold those threads.
    Revoked partitions first get `LANE_GRACE_SECONDS` to finish their lanes, and what
    finished is committed.

    `before_lane` runs before each group of a lane's events that its worker takes at once (the
    events that came while the lane was busy), with all of them; it is retried like an event,
    and none of the group's events runs before it succeeded."""
    gate = GenerationGate(topics)
    feed = _LaneFeed(
        handle,
        before_lane,
        max_in_flight=2 * consumer.batch_max_records,
        group_id=consumer.group_id,
    )
    listener = _RebalanceCallback(feed, on_rebalance)

    subscriber = broker.subscriber(
        *gate.subscribed_topics(),
        batch=True,
        max_records=consumer.batch_max_records,
        batch_timeout_ms=consumer.batch_wait_ms,
        ack_policy=AckPolicy.MANUAL,  # the feed commits what its lanes finished
        decoder=_batch_decoder,
        **consumer.group_options(),
        listener=listener,
        title=title,
        description=description,
    )
    wake_on_records(subscriber, consumer.batch_max_records, consumer.batch_wait_ms, feed.room)
    feed.attach(subscriber)

    @subscriber
    async def on_records(events: list[ConversationEvent | None]) -> None:
        # The typed parameter is what the AsyncAPI document shows; positions come from the
        # records, which `events` follows one to one. The message is read from the context,
        # not taken as a parameter: fast_depends resolves a context parameter in a worker
        # thread, a thread hop per batch in every service (docs/architecture.md).
        message: KafkaMessage = broker.context.get_local("message")
        records = message.raw_message
        kafka_consumer = message.consumer
        try:
            admitted = await gate.admit(records, kafka_consumer)
        except BaseException:
            _seek_to_first(kafka_consumer, records)  # none of the batch was fed
            raise
        if not isinstance(kafka_consumer, AIOKafkaConsumer):
            # faststream's in-memory test broker (TestKafkaBroker): a stand-in consumer with
            # no group and no offsets, whose publish returns once the handler has. The
            # events run here, in their lanes, before the handler returns.
            await feed.run_inline(
                [records[i] for i in admitted], [events[i] for i in admitted], topics, lanes
            )
            return
        feed.take(
            kafka_consumer,
            [records[i] for i in admitted],
            [events[i] for i in admitted],
            topics,
            lanes,
        )
        record_lag(consumer.group_id, kafka_consumer, records)


def _seek_to_first(
    kafka_consumer: AIOKafkaConsumer, records: Sequence[ConsumerRecord[Any, Any]]
) -> None:
    first: dict[TopicPartition, int] = {}
    for record in records:
        first.setdefault(TopicPartition(record.topic, record.partition), record.offset)
    for partition, offset in first.items():
        kafka_consumer.seek(partition, offset)


def _in_lane(
    record: ConsumerRecord[Any, Any], event: ConversationEvent, topics: Topics, key: LaneKey
) -> tuple[str | int, Delivery]:
    """The record's lane (its thread, or its partition) and its delivery."""
    position = topics.conversation_position(record.topic, record.offset)
    delivery = Delivery(event=event, partition=record.partition, position=position)
    return (event.thread_id if key is LaneKey.THREAD else record.partition), delivery


class _LaneFeed:
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
            lane, delivery = _in_lane(record, event, topics, key)
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
                lane, delivery = _in_lane(record, event, topics, key)
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
                async with _handling(
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


def wake_on_records(
    subscriber: Any,
    max_records: int,
    wait_ms: int,
    room: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """An idle batch subscriber waits in aiokafka's `getmany`, which returns as soon as a
    record is fetched, and polls again at once after an empty wait.

    faststream's batch subscriber sleeps as long as its poll timeout after every empty poll:
    a record that comes during that sleep waits for it (up to the timeout, at every hop of an
    answer), and a short timeout to bound that wait wakes every idle subscriber ~50 times a
    second (measured: ~33 ms of CPU per second per idle service). Replaced on this instance
    only; the loop that calls it (`_run_consume_loop`) is faststream's, unchanged. `room`,
    when given, is awaited before each fetch (a bound on the records in flight)."""

    async def next_batch(consumer: AIOKafkaConsumer) -> tuple[ConsumerRecord[Any, Any], ...]:
        if room is not None:
            await room()
        by_partition = await consumer.getmany(timeout_ms=wait_ms, max_records=max_records)
        return tuple(chain.from_iterable(by_partition.values()))

    subscriber.get_msg = next_batch


class _RebalanceCallback(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, feed: _LaneFeed, callback: Callable[[], None] | None) -> None:
        self._feed = feed
        self._callback = callback

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        await self._feed.release(list(revoked))
        if self._callback is not None:
            self._callback()

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        if self._callback is not None:
            self._callback()


async def _batch_decoder(message: StreamMessage[Any]) -> list[ConversationEvent | None]:
    return [_readable(record) for record in message.raw_message]
