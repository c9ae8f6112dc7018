"""One conversation event's handling: its place in the log, its log context, its retry pause."""

import asyncio
import contextlib
import enum
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog
from faststream.kafka import KafkaMessage

from baton_events import ConversationEvent
from baton_runtime.logging import log_context as bound_log_context

log = structlog.get_logger()

RETRY_BACKOFF_SECONDS = 1.0


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


class LaneKey(enum.Enum):
    """What may run concurrently. THREAD: different threads, also within one partition.
    PARTITION: different partitions only, for a consumer whose readers rely on a partition
    being folded in offset order (the inbox: "a thread at position X means everything of its
    partition up to X is stored" is its live stream's resume point)."""

    THREAD = "thread"
    PARTITION = "partition"


@contextlib.asynccontextmanager
async def handling(message: KafkaMessage, failure: str, **log_context: str) -> AsyncIterator[None]:
    """Bind the event's log context around its handling. An exception propagates so the
    subscriber (NACK_ON_ERROR) seeks back and the record is redelivered; the pause keeps a
    failing store from spinning."""
    record: Any = message.raw_message
    async with handling_at(record.offset, failure, **log_context):
        yield


@contextlib.asynccontextmanager
async def handling_at(offset: int, failure: str, **log_context: str) -> AsyncIterator[None]:
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
    async with handling_at(
        delivery.position,
        "event_handler_failed",
        thread_id=event.thread_id,
        event_id=str(event.event_id),
        event_type=event.type,
    ):
        await handle(delivery)
