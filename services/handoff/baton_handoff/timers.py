"""Idle hand-back: deadlines live in MongoDB, so they survive a restart of this service."""

import asyncio
from datetime import UTC, datetime

import structlog
from faststream.kafka import KafkaBroker

from baton_events import Topics
from baton_handoff.adapters.mode_store import ModeStore
from baton_handoff.domain import handback_due_event
from baton_runtime.kafka import publish_event

log = structlog.get_logger()


async def fire_due_handbacks(broker: KafkaBroker, topics: Topics, store: ModeStore) -> int:
    """Publish HandbackDue for each overdue human thread; the fold decides if it still holds."""
    due = await store.due_for_handback(datetime.now(UTC))
    for state in due:
        await publish_event(broker, topics.conversation_events, handback_due_event(state))
        await store.mark_handback_sent(state)
        log.info("handback_due", thread_id=state.thread_id, mode_version=state.mode_version)
    return len(due)


async def run_handback_timer(
    broker: KafkaBroker, topics: Topics, store: ModeStore, interval_seconds: float
) -> None:
    while True:
        try:
            await fire_due_handbacks(broker, topics, store)
        except Exception:
            log.exception("handback_timer_failed")
        await asyncio.sleep(interval_seconds)
