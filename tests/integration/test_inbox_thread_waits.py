"""The inbox's thread document on the real document store: a visitor message starts the
thread's wait in the same write that folds it, a second message keeps the first wait, an
answer ends it, and a redelivered message changes nothing. A lane's messages are stored in
one call, and a redelivered lane stores none twice."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from baton_events import EscalationRaised, EscalationReason
from baton_inbox.adapters.threads import ThreadStore
from baton_inbox.domain import FirstChanges, first_changes, thread_changes
from tests.support.infra import infra

pytestmark = pytest.mark.integration

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
async def threads() -> AsyncIterator[ThreadStore]:
    db_name = f"inbox-waits-{uuid.uuid4().hex[:8]}"
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra().mongo_url, tz_aware=True)
    store = ThreadStore(client, db_name)
    await store.ensure_indexes()
    try:
        yield store
    finally:
        await client.drop_database(db_name)
        await client.close()


async def visitor_writes(store: ThreadStore, thread_id: str, at: datetime, position: int) -> Any:
    first = FirstChanges({"waiting_since": None}, {"waiting_since": at})
    return await store.apply(thread_id, position, {"last_message_at": at}, first=first)


async def test_waits_start_once_and_end_with_an_answer(threads: ThreadStore) -> None:
    thread_id = uuid.uuid4().hex
    await threads.start_thread({"_id": thread_id, "account_id": "a1"}, position=10)

    first = await visitor_writes(threads, thread_id, T0, 11)
    assert first is not None and first["waiting_since"] == T0

    # Still unanswered: the visitor's second message keeps the wait that began first.
    second = await visitor_writes(threads, thread_id, T0 + timedelta(seconds=30), 12)
    assert second is not None
    assert second["waiting_since"] == T0 and second["last_position"] == 12

    answered = await threads.apply(thread_id, 13, {"waiting_since": None})
    assert answered is not None and answered["waiting_since"] is None

    # The first message again (a redelivery) restarts nothing and moves nothing back.
    assert await visitor_writes(threads, thread_id, T0, 11) is None
    stored = await threads.thread(thread_id)
    assert stored is not None
    assert stored["waiting_since"] is None and stored["last_position"] == 13

    later = T0 + timedelta(minutes=5)
    asked_again = await visitor_writes(threads, thread_id, later, 14)
    assert asked_again is not None and asked_again["waiting_since"] == later


async def test_an_escalation_while_one_waits_keeps_the_response_clock(
    threads: ThreadStore,
) -> None:
    """Found by exploratory testing: a visitor who escalated again before any teammate
    replied restarted the response clock, pushing the target's alerts back each time."""
    thread_id = uuid.uuid4().hex
    await threads.start_thread({"_id": thread_id, "account_id": "a1"}, position=10)

    async def escalate(at: datetime, position: int, reason: EscalationReason) -> Any:
        event = EscalationRaised(
            thread_id=thread_id, account_id="a1", message_id=f"m{position}", reason=reason
        )
        event = event.model_copy(update={"occurred_at": at})
        return await threads.apply(
            thread_id, position, thread_changes(event, position), first=first_changes(event)
        )

    first = await escalate(T0, 11, EscalationReason.OUT_OF_DOCS)
    assert first["escalated_at"] == T0 and first["needs_human"] is True
    await threads.apply(thread_id, 12, {"response_alert": "close"})
    again = await escalate(T0 + timedelta(minutes=3), 13, EscalationReason.ASKED_FOR_HUMAN)
    assert again["escalated_at"] == T0 and again["response_alert"] == "close"
    assert again["escalation_reason"] == "asked_for_human"  # the latest reason shows

    # A teammate answered: the next escalation starts a clock of its own.
    await threads.apply(thread_id, 14, {"needs_human": False})
    later = T0 + timedelta(hours=1)
    fresh = await escalate(later, 15, EscalationReason.UNRESOLVED)
    assert fresh["escalated_at"] == later and fresh["response_alert"] is None


async def test_a_started_thread_is_returned_as_first_stored(threads: ThreadStore) -> None:
    thread_id = uuid.uuid4().hex
    started = await threads.start_thread({"_id": thread_id, "account_id": "a1"}, position=10)
    assert started["account_id"] == "a1" and started["last_position"] == 10
    # Redelivered after later events: the stored thread, not a fresh copy, comes back.
    await visitor_writes(threads, thread_id, T0, 11)
    again = await threads.start_thread({"_id": thread_id, "account_id": "a1"}, position=10)
    assert again["last_position"] == 11 and again["waiting_since"] == T0


async def test_a_lanes_messages_are_stored_in_one_call_and_a_redelivery_adds_none(
    threads: ThreadStore,
) -> None:
    thread_id = uuid.uuid4().hex

    def message(position: int) -> dict[str, Any]:
        return {"_id": f"{thread_id}-{position}", "thread_id": thread_id, "position": position}

    await threads.add_messages([message(1), message(2)])
    # A redelivered lane: two messages already stored around a new one, all in one call.
    await threads.add_messages([message(1), message(3), message(2)])
    assert [doc["position"] for doc in await threads.messages(thread_id)] == [1, 2, 3]
    await threads.add_messages([message(3)])
    assert [doc["position"] for doc in await threads.messages(thread_id)] == [1, 2, 3]
