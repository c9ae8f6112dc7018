"""The path every event takes into a handler: decode with the codec's tolerance, bind log
context, retry."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import structlog
from faststream.exceptions import AckMessage
from faststream.kafka import KafkaMessage
from faststream.message import StreamMessage

from baton_events import ConversationEvent, decode_event
from baton_events.codec import UnsupportedEventError

log = structlog.get_logger()

RETRY_BACKOFF_SECONDS = 1.0

_Event = TypeVar("_Event")


@dataclass(frozen=True)
class Delivery:
    """An event with its place in the log: one thread lives in one partition, so the offset
    orders a thread's events."""

    event: ConversationEvent
    partition: int
    position: int


Handler = Callable[[Delivery], Awaitable[None]]
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
    with structlog.contextvars.bound_contextvars(**log_context):
        try:
            yield
        except Exception:
            log.exception(failure, offset=record.offset)
            await asyncio.sleep(RETRY_BACKOFF_SECONDS)
            raise


async def deliver(event: ConversationEvent, message: KafkaMessage, handle: Handler) -> None:
    """Run `handle` for one conversation event with its place in the log."""
    record: Any = message.raw_message
    async with handling(
        message,
        "event_handler_failed",
        thread_id=event.thread_id,
        event_id=str(event.event_id),
        event_type=event.type,
    ):
        await handle(Delivery(event=event, partition=record.partition, position=record.offset))
