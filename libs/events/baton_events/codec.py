"""JSON serialization of events, tolerant of unknown types and newer minor versions."""

import json
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from baton_events.envelope import SCHEMA_MAJOR, EventEnvelope
from baton_events.events import EVENT_TYPES, ConversationEvent

_conversation_adapter: TypeAdapter[ConversationEvent] = TypeAdapter(ConversationEvent)


class UnsupportedEventError(ValueError):
    """An event this consumer cannot read: a newer major version or a malformed body."""


def encode_event(event: EventEnvelope) -> bytes:
    return event.model_dump_json().encode()


def event_key(event: EventEnvelope) -> bytes:
    """Kafka key: one thread, one partition, one order."""
    return event.thread_id.encode()


def _major(version: object) -> int:
    try:
        return int(str(version).split(".", 1)[0])
    except ValueError as exc:
        raise UnsupportedEventError(f"bad version {version!r}") from exc


def decode_event(raw: bytes | str | dict[str, Any]) -> ConversationEvent | None:
    """Parse one conversation event; None for a type this consumer does not know.

    A newer minor version may carry fields we do not know: they are dropped, not refused.
    """
    body: Any = json.loads(raw) if isinstance(raw, bytes | str) else raw
    if not isinstance(body, dict):
        raise UnsupportedEventError("event body is not a JSON object")
    model = EVENT_TYPES.get(str(body.get("type")))
    if model is None:
        return None
    if _major(body.get("version", "1.0")) != SCHEMA_MAJOR:
        raise UnsupportedEventError(f"{body.get('type')} version {body.get('version')}")
    known = {key: value for key, value in body.items() if key in model.model_fields}
    try:
        return _conversation_adapter.validate_python(known)
    except ValidationError as exc:
        raise UnsupportedEventError(str(exc)) from exc


def dump_event(event: BaseModel) -> dict[str, Any]:
    return event.model_dump(mode="json")
