"""The path every conversation event takes into a handler: decode, bind log context, retry."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog
from faststream.kafka import KafkaMessage

from baton_events import ConversationEvent, decode_event
from baton_events.codec import UnsupportedEventError

log = structlog.get_logger()

RETRY_BACKOFF_SECONDS = 1.0


@dataclass(frozen=True)
class Delivery:
    """An event with its place in the log: one thread lives in one partition, so the offset
    orders a thread's events."""

    event: ConversationEvent
    partition: int
    position: int


Handler = Callable[[Delivery], Awaitable[None]]


async def deliver(message: KafkaMessage, handle: Handler) -> None:
    """Run `handle` for one record. An exception propagates so the subscriber (NACK_ON_ERROR)
    seeks back and the record is redelivered; the pause keeps a failing store from spinning."""
    record: Any = message.raw_message
    try:
        event = decode_event(message.body)
    except (UnsupportedEventError, ValueError) as exc:
        # Retrying cannot fix a body we cannot read; it stays in the log for inspection.
        log.error(
            "event_unreadable", offset=record.offset, partition=record.partition, error=str(exc)
        )
        return
    if event is None:
        return  # a type this consumer does not know
    with structlog.contextvars.bound_contextvars(
        thread_id=event.thread_id, event_id=str(event.event_id), event_type=event.type
    ):
        try:
            await handle(Delivery(event=event, partition=record.partition, position=record.offset))
        except Exception:
            log.exception("event_handler_failed", offset=record.offset)
            await asyncio.sleep(RETRY_BACKOFF_SECONDS)
            raise
