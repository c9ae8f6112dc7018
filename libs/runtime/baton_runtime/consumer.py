"""The path every event takes into a handler: decode with the codec's tolerance, bind log
context, retry; conversation events in per-thread lanes (`subscribe_in_thread_order`)."""

from collections.abc import Awaitable, Callable, Sequence
from itertools import chain
from typing import Any, TypeVar

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from faststream import AckPolicy
from faststream.exceptions import AckMessage
from faststream.kafka import KafkaBroker, KafkaMessage
from faststream.message import StreamMessage

from baton_events import ConversationEvent, Topics, decode_event
from baton_events.codec import UnsupportedEventError
from baton_runtime.delivery import Handler, LaneHook, LaneKey
from baton_runtime.generations import GenerationGate
from baton_runtime.kafka import ConsumerIdentity
from baton_runtime.lane_feed import LaneFeed, RebalanceCallback
from baton_runtime.metrics import record_lag

log = structlog.get_logger()

_Event = TypeVar("_Event")
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
            _log_unreadable(record, exc)
            raise AckMessage() from exc
        if event is None:
            raise AckMessage()  # a type this consumer does not know
        return event

    return decoder


conversation_decoder: EventDecoder[ConversationEvent] = tolerant_decoder(decode_event)


def _readable(record: ConsumerRecord[Any, Any]) -> ConversationEvent | None:
    """Unreadable records and unknown types are skipped: retrying cannot fix them (the
    record stays in the log for inspection)."""
    try:
        return decode_event(record.value)
    except (UnsupportedEventError, ValueError) as exc:
        _log_unreadable(record, exc)
        return None


def _log_unreadable(record: Any, exc: Exception) -> None:
    log.error(
        "event_unreadable",
        topic=record.topic,
        offset=record.offset,
        partition=record.partition,
        error=str(exc),
    )


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
    feed = LaneFeed(
        handle,
        before_lane,
        max_in_flight=2 * consumer.batch_max_records,
        group_id=consumer.group_id,
    )
    listener = RebalanceCallback(feed, on_rebalance)

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


async def _batch_decoder(message: StreamMessage[Any]) -> list[ConversationEvent | None]:
    return [_readable(record) for record in message.raw_message]
