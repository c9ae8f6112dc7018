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
from faststream.exceptions import AckMessage
from faststream.kafka import KafkaBroker, KafkaMessage
from faststream.message import StreamMessage

from baton_events import ConversationEvent, Topics, decode_event
from baton_events.codec import UnsupportedEventError
from baton_runtime.generations import GenerationGate
from baton_runtime.kafka import DURABLE_ACK, ConsumerIdentity
from baton_runtime.logging import log_context as bound_log_context
from baton_runtime.metrics import record_lag

log = structlog.get_logger()

RETRY_BACKOFF_SECONDS = 1.0

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


def thread_lanes(
    records: Sequence[ConsumerRecord[Any, Any]],
    events: Sequence[ConversationEvent | None],
    topics: Topics,
    key: LaneKey = LaneKey.THREAD,
) -> list[list[Delivery]]:
    """A batch's readable conversation events (`events[i]` decoded from `records[i]`, None
    when unreadable or of an unknown type), one lane per thread (or partition), each lane in
    log order (a thread lives in one partition, so its records come in offset order; a batch
    never mixes generations, `GenerationGate`)."""
    lanes: dict[str | int, list[Delivery]] = {}
    for record, event in zip(records, events, strict=True):
        if event is not None:
            position = topics.conversation_position(record.topic, record.offset)
            delivery = Delivery(event=event, partition=record.partition, position=position)
            lane = event.thread_id if key is LaneKey.THREAD else record.partition
            lanes.setdefault(lane, []).append(delivery)
    return list(lanes.values())


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


async def handle_in_thread_order(
    records: Sequence[ConsumerRecord[Any, Any]],
    events: Sequence[ConversationEvent | None],
    handle: Handler,
    topics: Topics,
    key: LaneKey = LaneKey.THREAD,
    before_lane: LaneHook | None = None,
) -> None:
    """Threads concurrently, each thread's events one after another.

    Every lane runs to its end or its first failure (a failed event stops its lane: the
    thread's later events must not pass it), then the first failure is raised, so the
    subscriber seeks back to the batch's start in each partition and the whole batch comes
    again. The lanes that had succeeded repeat: every handler is idempotent (projections keyed
    by message id and guarded by log position, deterministic output ids)."""

    async def run(lane: list[Delivery]) -> None:
        if before_lane is not None:
            first = lane[0]
            async with _handling(
                first.position, "lane_hook_failed", partition=str(first.partition)
            ):
                await before_lane(lane)
        for delivery in lane:
            await deliver_one(delivery, handle)

    outcomes = await asyncio.gather(
        *(run(lane) for lane in thread_lanes(records, events, topics, key)),
        return_exceptions=True,
    )
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome


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
    """Subscribe `handle` to a conversation topic in the service's group, in batches.

    Why batches: faststream's concurrent subscribers either acknowledge before handling
    (`max_workers` with ACK_FIRST: a crash loses records) or parallelize only across
    partitions, one record at a time within each. A batch (aiokafka `getmany`) is handled
    as lanes, one per thread, concurrently (`handle_in_thread_order`), and committed once,
    after every lane has finished: the committed offset never passes an unfinished record,
    and one commit per batch instead of one per record spares the broker's group coordinator.
    The cost is head-of-line waiting: the next batch starts when the batch's slowest thread is
    done.

    Across a generation change of the conversation topic the subscriber reads both
    generations and `GenerationGate` holds the newer one back until the group has finished
    the older.

    `on_rebalance` is called whenever partitions are revoked or assigned: a handler that keeps
    per-thread state in memory drops it there, since other replicas may fold those threads.

    `before_lane` runs once per lane before its events, with all of them; if it fails, the
    lane's events do not run and the batch comes again, like a failed event."""
    gate = GenerationGate(topics)
    listener = _RebalanceCallback(on_rebalance) if on_rebalance is not None else None

    subscriber = broker.subscriber(
        *gate.subscribed_topics(),
        batch=True,
        max_records=consumer.batch_max_records,
        batch_timeout_ms=consumer.batch_wait_ms,
        ack_policy=DURABLE_ACK,
        decoder=_batch_decoder,
        **consumer.group_options(),
        listener=listener,
        title=title,
        description=description,
    )
    wake_on_records(subscriber, consumer.batch_max_records, consumer.batch_wait_ms)

    @subscriber
    async def on_records(events: list[ConversationEvent | None]) -> None:
        # The typed parameter is what the AsyncAPI document shows; positions come from the
        # records, which `events` follows one to one. The message is read from the context,
        # not taken as a parameter: fast_depends resolves a context parameter in a worker
        # thread, a thread hop per batch in every service (docs/architecture.md).
        message: KafkaMessage = broker.context.get_local("message")
        records = message.raw_message
        admitted = await gate.admit(records, message.consumer)
        await handle_in_thread_order(
            [records[i] for i in admitted],
            [events[i] for i in admitted],
            handle,
            topics,
            lanes,
            before_lane,
        )
        record_lag(consumer.group_id, message.consumer, records)


def wake_on_records(subscriber: Any, max_records: int, wait_ms: int) -> None:
    """An idle batch subscriber waits in aiokafka's `getmany`, which returns as soon as a
    record is fetched, and polls again at once after an empty wait.

    faststream's batch subscriber sleeps as long as its poll timeout after every empty poll:
    a record that comes during that sleep waits for it (up to the timeout, at every hop of an
    answer), and a short timeout to bound that wait wakes every idle subscriber ~50 times a
    second (measured: ~33 ms of CPU per second per idle service). Replaced on this instance
    only; the loop that calls it (`_run_consume_loop`) is faststream's, unchanged."""

    async def next_batch(consumer: AIOKafkaConsumer) -> tuple[ConsumerRecord[Any, Any], ...]:
        by_partition = await consumer.getmany(timeout_ms=wait_ms, max_records=max_records)
        return tuple(chain.from_iterable(by_partition.values()))

    subscriber.get_msg = next_batch


class _RebalanceCallback(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, callback: Callable[[], None]) -> None:
        self._callback = callback

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        self._callback()

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        self._callback()


async def _batch_decoder(message: StreamMessage[Any]) -> list[ConversationEvent | None]:
    return [_readable(record) for record in message.raw_message]
