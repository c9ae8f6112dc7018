import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query

from baton_events import HandbackRequested, StaffReplied, StandbyRequested, ThreadClosed
from baton_events.envelope import EventEnvelope
from baton_inbox.api.deps import CurrentStaff, InboxServices, Services
from baton_inbox.api.schemas import Accepted, StaffMessageCreate
from baton_runtime.errors import ApiError
from baton_runtime.kafka import publish_event

router = APIRouter(prefix="/v1/threads", tags=["threads"])


def _public(doc: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in doc.items() if k not in ("_id", "last_position")}
    out["id"] = doc["_id"]
    return out


async def _owned_thread(services: InboxServices, account_id: str, thread_id: str) -> dict[str, Any]:
    thread = await services.threads.get_thread(account_id, thread_id)
    if thread is None:
        # 404, not 403: another account's thread must not even be confirmed to exist.
        raise ApiError(404, "thread_not_found", f"no thread {thread_id}")
    return thread


@router.get("")
async def list_threads(
    staff: CurrentStaff,
    services: Services,
    mode: Annotated[str | None, Query(pattern="^(ai|human|closed)$")] = None,
    needs_human: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    filters: dict[str, Any] = {}
    if mode:
        filters["mode"] = mode
    if needs_human is not None:
        filters["needs_human"] = needs_human
    docs = await services.threads.list_threads(staff.account_id, filters, limit)
    return {"threads": [_public(doc) for doc in docs]}


@router.get("/{thread_id}")
async def get_thread(thread_id: str, staff: CurrentStaff, services: Services) -> dict[str, Any]:
    thread = await _owned_thread(services, staff.account_id, thread_id)
    messages = await services.threads.messages(thread_id)
    return {**_public(thread), "messages": [_public(m) for m in messages]}


@router.post("/{thread_id}/messages", status_code=202, response_model=Accepted)
async def reply(
    thread_id: str, body: StaffMessageCreate, staff: CurrentStaff, services: Services
) -> Accepted:
    await _owned_thread(services, staff.account_id, thread_id)
    message_id = str(uuid.uuid4())
    event = StaffReplied(
        thread_id=thread_id,
        account_id=staff.account_id,
        message_id=message_id,
        staff_id=staff.staff_id,
        staff_name=staff.name.split(" ")[0],
        text=body.text,
    )
    await publish_event(services.broker, services.topics.conversation_events, event)
    return Accepted(event_id=message_id)


async def _command(
    services: InboxServices, staff: CurrentStaff, thread_id: str, event: EventEnvelope
) -> Accepted:
    await _owned_thread(services, staff.account_id, thread_id)
    await publish_event(services.broker, services.topics.conversation_events, event)
    return Accepted(event_id=str(event.event_id))


@router.post("/{thread_id}/standby", status_code=202, response_model=Accepted)
async def standby(thread_id: str, staff: CurrentStaff, services: Services) -> Accepted:
    event = StandbyRequested(
        thread_id=thread_id, account_id=staff.account_id, staff_id=staff.staff_id
    )
    return await _command(services, staff, thread_id, event)


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
