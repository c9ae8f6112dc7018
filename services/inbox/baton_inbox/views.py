"""What staff clients get for threads, messages and notes, over HTTP and the live stream alike
(pure): the API's models built from the stored documents, and their JSON for the stream."""

from typing import Any

from pydantic import BaseModel, TypeAdapter

from baton_inbox.adapters.presence import Presence
from baton_inbox.api.thread_schemas import (
    MessagePublic,
    NotePublic,
    PresencePublic,
    ThreadDetail,
    ThreadPublic,
)

_MESSAGE = TypeAdapter[MessagePublic](MessagePublic)


def _thread_fields(doc: dict[str, Any]) -> dict[str, Any]:
    # Fields a thread may lack in the store (FerretDB's $setOnInsert drops null values, and
    # inbox-owned fields appear only once set) default to null in the model.
    return {**doc, "id": doc["_id"], "seq": doc.get("last_position", -1)}


def thread_public(doc: dict[str, Any]) -> ThreadPublic:
    return ThreadPublic.model_validate(_thread_fields(doc))


def thread_detail(
    doc: dict[str, Any],
    messages: list[dict[str, Any]],
    notes: list[dict[str, Any]],
    people: list[Presence],
    now_ms: int,
) -> ThreadDetail:
    return ThreadDetail.model_validate(
        {
            **_thread_fields(doc),
            "messages": [message_public(message) for message in messages],
            "notes": [note_public(note) for note in notes],
            "presence": presence_public(people, now_ms),
        }
    )


def message_public(doc: dict[str, Any]) -> MessagePublic:
    return _MESSAGE.validate_python({**doc, "id": doc["_id"]})


def note_public(doc: dict[str, Any]) -> NotePublic:
    return NotePublic.model_validate({**doc, "id": doc["_id"]})


def presence_public(people: list[Presence], now_ms: int) -> list[PresencePublic]:
    return [PresencePublic.model_validate(person.public(now_ms)) for person in people]


# -- the same, as JSON-ready dicts for the live stream's items and frames ---------------------


def json_view(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")


def thread_view(doc: dict[str, Any]) -> dict[str, Any]:
    return json_view(thread_public(doc))


def message_view(doc: dict[str, Any]) -> dict[str, Any]:
    return json_view(message_public(doc))


def note_view(doc: dict[str, Any]) -> dict[str, Any]:
    return json_view(note_public(doc))


def presence_view(people: list[Presence], now_ms: int) -> list[dict[str, object]]:
    return [json_view(person) for person in presence_public(people, now_ms)]
