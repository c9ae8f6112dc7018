"""JSON serialization of events, tolerant of unknown types and newer minor versions."""

import json
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from baton_events.bots import BOT_EVENT_TYPES, BotChanged, BotEventEnvelope
from baton_events.envelope import SCHEMA_MAJOR, EventEnvelope
from baton_events.events import EVENT_TYPES, ConversationEvent
from baton_events.ingest import INGEST_EVENT_TYPES, IngestEvent, IngestEventEnvelope

_conversation_adapter: TypeAdapter[ConversationEvent] = TypeAdapter(ConversationEvent)
_ingest_adapter: TypeAdapter[IngestEvent] = TypeAdapter(IngestEvent)
_bot_adapter: TypeAdapter[BotChanged] = TypeAdapter(BotChanged)

# Every envelope a Baton service publishes.
AnyEnvelope = EventEnvelope | IngestEventEnvelope | BotEventEnvelope


_Event = TypeVar("_Event")


class UnsupportedEventError(ValueError):
    """An event this consumer cannot read: a newer major version or a malformed body."""


def encode_event(event: AnyEnvelope) -> bytes:
    return event.model_dump_json().encode()


def event_key(event: AnyEnvelope) -> bytes:
    """Kafka key: a conversation event's thread (one thread, one partition, one order); an
    ingest or bot event's bot (one bot's jobs, or one bot's changes, in order)."""
    if isinstance(event, IngestEventEnvelope | BotEventEnvelope):
        return event.bot_id.encode()
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
    return _decode(raw, EVENT_TYPES, _conversation_adapter)


def _decode(
    raw: bytes | str | dict[str, Any],
    types: dict[str, type[BaseModel]],
    adapter: TypeAdapter[_Event],
) -> _Event | None:
    known = _known_fields(raw, types)
    if known is None:
        return None
    try:
        return adapter.validate_python(known)
    except ValidationError as exc:
        raise UnsupportedEventError(str(exc)) from exc


def _known_fields(
    raw: bytes | str | dict[str, Any], types: dict[str, type[BaseModel]]
) -> dict[str, Any] | None:
    """The body's fields its model knows; None for a type not in `types`.

    A newer minor version may carry fields we do not know: they are dropped, not refused.
    """
    body: Any = json.loads(raw) if isinstance(raw, bytes | str) else raw
    if not isinstance(body, dict):
        raise UnsupportedEventError("event body is not a JSON object")
    model = types.get(str(body.get("type")))
    if model is None:
        return None
    if _major(body.get("version", "1.0")) != SCHEMA_MAJOR:
        raise UnsupportedEventError(f"{body.get('type')} version {body.get('version')}")
    known = {key: value for key, value in body.items() if key in model.model_fields}
    return storable(known) if _may_hold_nul(raw) else known


# U+0000 is valid JSON text but not storable everywhere: PostgreSQL's jsonb (under the local
# FerretDB) refuses it, and a record a projection can never write would be retried for ever,
# holding up its whole lane. The edges refuse it (baton_runtime.request_body); an event that
# carries one all the same (written before they did) is read with U+FFFD in its place.
_NUL, _REPLACEMENT = "\x00", "\ufffd"


def _may_hold_nul(raw: bytes | str | dict[str, Any]) -> bool:
    """JSON writes U+0000 as an escape, so a body without one needs no walk."""
    if isinstance(raw, bytes):
        return b"\\u0000" in raw
    if isinstance(raw, str):
        return "\\u0000" in raw
    return True


def storable(value: Any) -> Any:
    """`value` with every U+0000 inside its strings replaced by U+FFFD."""
    if isinstance(value, str):
        return value.replace(_NUL, _REPLACEMENT) if _NUL in value else value
    if isinstance(value, dict):
        return {key: storable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [storable(item) for item in value]
    return value


def dump_event(event: BaseModel) -> dict[str, Any]:
    return event.model_dump(mode="json")


def decode_ingest_event(raw: bytes | str | dict[str, Any]) -> IngestEvent | None:
    """Parse one ingest event, with the same tolerance as `decode_event`."""
    return _decode(raw, INGEST_EVENT_TYPES, _ingest_adapter)


def decode_bot_event(raw: bytes | str | dict[str, Any]) -> BotChanged | None:
    """Parse one bot event, with the same tolerance as `decode_event`."""
    return _decode(raw, BOT_EVENT_TYPES, _bot_adapter)
