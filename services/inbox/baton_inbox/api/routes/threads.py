"""Threads: the list, one thread with its history, and the commands that go into the log."""

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from baton_events import HandbackRequested, StaffReplied, StandbyRequested, ThreadClosed
from baton_events.envelope import EventEnvelope
from baton_inbox.adapters.accounts import StaffUser
from baton_inbox.adapters.presence import now_ms
from baton_inbox.api.deps import CurrentStaff, InboxServices, Services
from baton_inbox.api.schemas import Accepted, StaffMessageCreate
from baton_inbox.api.scope import owned_thread
from baton_inbox.api.thread_schemas import MessageList, ThreadDetail, ThreadList
from baton_inbox.collision import collision_warning
from baton_inbox.live.cursor import StreamCursor
from baton_inbox.views import message_public, thread_detail, thread_public, thread_view
from baton_runtime.errors import ApiError
from baton_runtime.kafka import publish_event

router = APIRouter(prefix="/v1/threads", tags=["threads"])


@router.get("", response_model=ThreadList)
async def list_threads(
    staff: CurrentStaff,
    services: Services,
    mode: Annotated[str | None, Query(pattern="^(ai|human|closed)$")] = None,
    needs_human: bool | None = None,
    assignee: Annotated[
        str | None, Query(description="`me`, `none`, or a teammate's id", max_length=64)
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ThreadList:
    """The threads, with the stream cursor to resume from (read first, so the list is at
    least as new as the cursor: the stream then sends only what came after)."""
    cursor = StreamCursor(
        positions=await services.threads.positions(staff.account_id), meta_ms=now_ms()
    )
    filters: dict[str, Any] = {}
    if mode:
        filters["mode"] = mode
    if needs_human is not None:
        filters["needs_human"] = needs_human
    if assignee is not None:
        filters["assignee_id"] = {"me": staff.staff_id, "none": None}.get(assignee, assignee)
    docs = await services.threads.list_threads(staff.account_id, filters, limit)
    return ThreadList(
        threads=[thread_public(doc) for doc in docs],
        cursor=cursor.encode(),
        now=datetime.now(UTC),
    )


@router.get("/{thread_id}", response_model=ThreadDetail)
async def get_thread(thread_id: str, staff: CurrentStaff, services: Services) -> ThreadDetail:
    thread = await owned_thread(services, staff.account_id, thread_id)
    messages = await services.threads.messages(thread_id)
    notes = await services.notes.for_thread(staff.account_id, thread_id)
    people = await services.presence.people(staff.account_id, thread_id)
    return thread_detail(thread, messages, notes, people, now_ms())


@router.get("/{thread_id}/messages", response_model=MessageList)
async def list_messages(thread_id: str, staff: CurrentStaff, services: Services) -> MessageList:
    await owned_thread(services, staff.account_id, thread_id)
    messages = await services.threads.messages(thread_id)
    return MessageList(messages=[message_public(m) for m in messages])


@router.post("/{thread_id}/messages", status_code=202, response_model=Accepted)
async def reply(
    thread_id: str, body: StaffMessageCreate, staff: CurrentStaff, services: Services
) -> Accepted:
    """Takes the thread over from the AI. Refused with 409 `collision` while another teammate
    is typing in it or replied moments ago, unless `force` says the sender saw the warning."""
    thread = await owned_thread(services, staff.account_id, thread_id)
    settings = services.settings
    if not body.force:
        warning = collision_warning(
            staff.staff_id,
            await services.presence.people(staff.account_id, thread_id),
            await services.presence.recent_reply(staff.account_id, thread_id),
            now_ms(),
            settings.inbox_collision_window_seconds,
        )
        if warning:
            raise ApiError(409, "collision", warning)
    await services.presence.record_reply(
        staff.account_id,
        thread_id,
        staff.staff_id,
        staff.name,
        settings.inbox_collision_window_seconds,
    )
    message_id = str(uuid.uuid4())
    event = StaffReplied(
        thread_id=thread_id,
        account_id=staff.account_id,
        message_id=message_id,
        staff_id=staff.staff_id,
        staff_name=staff.name.split(" ")[0],
        text=body.text,
        # The idle time in force now travels with the takeover: the handoff's deadline then
        # depends on the log alone, not on the bot's settings when the log is read.
        handback_idle_seconds=await _handback_idle_seconds(services, thread),
    )
    if thread.get("assignee_id") is None:
        # Claimed before the reply is published, so the Kafka handler's update of the same
        # thread document comes after this one: FerretDB applies an update as read-modify-write
        # of the whole document, and two updates of one thread at once could lose the claim.
        await _claim_on_reply(services, staff, thread_id)
    await publish_event(services.broker, services.topics.conversation_events, event)
    return Accepted(event_id=message_id)


async def _claim_on_reply(services: InboxServices, staff: StaffUser, thread_id: str) -> None:
    """Whoever answers an unassigned thread owns it, so the list shows who is on it."""
    at = datetime.now(UTC)
    thread = await services.threads.assign(
        staff.account_id, thread_id, staff.staff_id, staff.name, at
    )
    if thread is not None:
        await services.live.meta_changed(
            staff.account_id, thread_id, int(at.timestamp() * 1000), thread=thread_view(thread)
        )


async def _handback_idle_seconds(services: InboxServices, thread: dict[str, Any]) -> int | None:
    return await services.accounts.handback_idle_seconds(thread["account_id"], thread.get("bot_id"))


async def _command(
    services: InboxServices, staff: StaffUser, thread_id: str, event: EventEnvelope
) -> Accepted:
    await owned_thread(services, staff.account_id, thread_id)
    return await _publish(services, event)


async def _publish(services: InboxServices, event: EventEnvelope) -> Accepted:
    await publish_event(services.broker, services.topics.conversation_events, event)
    return Accepted(event_id=str(event.event_id))


@router.post("/{thread_id}/standby", status_code=202, response_model=Accepted)
async def standby(thread_id: str, staff: CurrentStaff, services: Services) -> Accepted:
    thread = await owned_thread(services, staff.account_id, thread_id)
    event = StandbyRequested(
        thread_id=thread_id,
        account_id=staff.account_id,
        staff_id=staff.staff_id,
        handback_idle_seconds=await _handback_idle_seconds(services, thread),
    )
    return await _publish(services, event)


@router.post("/{thread_id}/handback", status_code=202, response_model=Accepted)
async def handback(thread_id: str, staff: CurrentStaff, services: Services) -> Accepted:
    event = HandbackRequested(
        thread_id=thread_id, account_id=staff.account_id, staff_id=staff.staff_id
    )
    return await _command(services, staff, thread_id, event)


@router.post("/{thread_id}/close", status_code=202, response_model=Accepted)
async def close(thread_id: str, staff: CurrentStaff, services: Services) -> Accepted:
    event = ThreadClosed(thread_id=thread_id, account_id=staff.account_id, staff_id=staff.staff_id)
    return await _command(services, staff, thread_id, event)


@router.post("/{thread_id}/reopen", status_code=202, response_model=Accepted)
async def reopen(thread_id: str, staff: CurrentStaff, services: Services) -> Accepted:
    """A closed thread opens again with the AI answering (the visitor's widget shows it);
    409 `not_closed` for a thread that is not closed."""
    thread = await owned_thread(services, staff.account_id, thread_id)
    if thread.get("mode") != "closed":
        raise ApiError(409, "not_closed", "only a closed thread can be reopened")
    event = HandbackRequested(
        thread_id=thread_id, account_id=staff.account_id, staff_id=staff.staff_id
    )
    return await _publish(services, event)
