"""What staff clients get for threads, messages and notes, over HTTP and the live stream alike
(pure; JSON-ready)."""

from typing import Any

from fastapi.encoders import jsonable_encoder

from baton_inbox.adapters.presence import Presence

# Fields a thread may lack in the store (FerretDB's $setOnInsert drops null values, and
# inbox-owned fields appear only once set); clients always get them, null when unset.
OPTIONAL_THREAD_FIELDS = (
    "page_url",
    "user_agent",
    "escalation_reason",
    "escalated_at",
    "assignee_id",
    "assignee_name",
    "waiting_since",
    "last_message_at",
    "last_visitor_text",
    "handback_deadline",
    "meta_at",
)


def thread_view(doc: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in doc.items() if k not in ("_id", "last_position")}
    out["id"] = doc["_id"]
    # The per-thread sequence: the log position this view has folded up to.
    out["seq"] = doc.get("last_position", -1)
    for name in OPTIONAL_THREAD_FIELDS:
        out.setdefault(name, None)
    result: dict[str, Any] = jsonable_encoder(out)
    return result


def message_view(doc: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in doc.items() if k != "_id"}
    out["id"] = doc["_id"]
    result: dict[str, Any] = jsonable_encoder(out)
    return result


def note_view(doc: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in doc.items() if k not in ("_id", "account_id")}
    out["id"] = doc["_id"]
    result: dict[str, Any] = jsonable_encoder(out)
    return result


def presence_view(people: list[Presence], now_ms: int) -> list[dict[str, object]]:
    return [person.public(now_ms) for person in people]
