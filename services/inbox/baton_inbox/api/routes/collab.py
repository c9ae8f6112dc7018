"""Teammates working a thread together: private notes, assignment, presence.

None of this enters the conversation log (visitors never see it); it is the inbox's own state,
stored in MongoDB (notes, assignee) or Redis (presence), and pushed to every teammate's stream.
"""

from datetime import UTC, datetime

from fastapi import APIRouter

from baton_inbox.adapters.presence import now_ms
from baton_inbox.api.deps import CurrentStaff, InboxServices, Services
from baton_inbox.api.schemas import AssigneeUpdate, NoteCreate, PresenceUpdate
from baton_inbox.api.scope import owned_thread
from baton_inbox.api.thread_schemas import NoteList, NotePublic, ThreadPresence, ThreadPublic
from baton_inbox.views import json_view, note_public, presence_public, thread_public
from baton_runtime.errors import ApiError

router = APIRouter(prefix="/v1/threads/{thread_id}", tags=["collaboration"])


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


@router.get("/notes", response_model=NoteList)
async def list_notes(thread_id: str, staff: CurrentStaff, services: Services) -> NoteList:
    await owned_thread(services, staff.account_id, thread_id)
    notes = await services.notes.for_thread(staff.account_id, thread_id)
    return NoteList(notes=[note_public(note) for note in notes])


@router.post("/notes", status_code=201, response_model=NotePublic)
async def add_note(
    thread_id: str, body: NoteCreate, staff: CurrentStaff, services: Services
) -> NotePublic:
    await owned_thread(services, staff.account_id, thread_id)
    at = datetime.now(UTC)
    doc = await services.notes.add(
        staff.account_id, thread_id, staff.staff_id, staff.name, body.text, at
    )
    note = note_public(doc)
    await services.live.meta_changed(staff.account_id, thread_id, _ms(at), note=json_view(note))
    return note


@router.post("/assignee", response_model=ThreadPublic)
async def assign(
    thread_id: str, body: AssigneeUpdate, staff: CurrentStaff, services: Services
) -> ThreadPublic:
    await owned_thread(services, staff.account_id, thread_id)
    name: str | None = None
    if body.staff_id is not None:
        teammate = await services.accounts.teammate(staff.account_id, body.staff_id)
        if teammate is None:
            raise ApiError(422, "unknown_teammate", "no such teammate in this account", "staff_id")
        name = teammate.name
    return await _set_assignee(services, staff.account_id, thread_id, body.staff_id, name)


@router.post("/claim", response_model=ThreadPublic)
async def claim(thread_id: str, staff: CurrentStaff, services: Services) -> ThreadPublic:
    """Assign the thread to oneself."""
    await owned_thread(services, staff.account_id, thread_id)
    return await _set_assignee(services, staff.account_id, thread_id, staff.staff_id, staff.name)


async def _set_assignee(
    services: InboxServices, account_id: str, thread_id: str, staff_id: str | None, name: str | None
) -> ThreadPublic:
    at = datetime.now(UTC)
    thread = await services.threads.assign(account_id, thread_id, staff_id, name, at)
    if thread is None:
        raise ApiError(404, "thread_not_found", f"no thread {thread_id}")
    view = thread_public(thread)
    await services.live.meta_changed(account_id, thread_id, _ms(at), thread=json_view(view))
    return view


@router.post("/presence", response_model=ThreadPresence)
async def presence(
    thread_id: str, body: PresenceUpdate, staff: CurrentStaff, services: Services
) -> ThreadPresence:
    """The page calls this while a teammate has the thread open (`viewing`, every few
    seconds), while they type (`typing`), and when they leave it (`left`)."""
    await owned_thread(services, staff.account_id, thread_id)
    settings = services.settings
    if body.state == "left":
        people = await services.presence.leave(staff.account_id, thread_id, staff.staff_id)
    else:
        ttl = (
            settings.inbox_presence_typing_seconds
            if body.state == "typing"
            else settings.inbox_presence_viewing_seconds
        )
        people = await services.presence.set(
            staff.account_id, thread_id, staff.staff_id, staff.name, body.state, ttl
        )
    await services.live.presence_changed(staff.account_id, thread_id, people)
    await services.live.visitor_sees_typing(thread_id, staff.name, body.state == "typing")
    return ThreadPresence(thread_id=thread_id, people=presence_public(people, now_ms()))
