"""Pure rules of the widget edge: message identity, visibility, and the public message shape."""

import uuid
from dataclasses import dataclass, replace
from typing import Any

from baton_events import (
    AiReplyCommitted,
    StaffReplied,
    VisitorMessageReceived,
    overtaken_by_teammate,
)
from baton_events.envelope import stable_event_id


def visitor_message_id(thread_id: str, client_message_id: str) -> str:
    """The same client_message_id in a thread always names the same message."""
    return str(stable_event_id(thread_id, "visitor_message", client_message_id))


def contact_event_id(thread_id: str, email: str) -> uuid.UUID:
    """The same address left twice in a thread (a retried POST) is one event."""
    return stable_event_id(thread_id, "visitor_contact_left", email)


@dataclass(frozen=True)
class HandoverPositions:
    """Where in a thread's log a teammate last wrote, and where the AI last got it back
    (a hand-back, the idle timer, a reopen); -1 for never."""

    last_staff: int = -1
    last_ai_resume: int = -1

    def after_staff(self, position: int) -> "HandoverPositions":
        """As the store's `$max` leaves them once a teammate wrote at `position`."""
        return replace(self, last_staff=max(self.last_staff, position))

    def after_ai_resume(self, position: int) -> "HandoverPositions":
        """As the store's `$max` leaves them once the AI got the thread back at `position`."""
        return replace(self, last_ai_resume=max(self.last_ai_resume, position))


def is_late_commit(reply: AiReplyCommitted, last_staff_position: int) -> bool:
    """A reply committed at its proposal's position can still land in the log after a
    teammate's message; delivering it then would be the AI talking over a human."""
    return overtaken_by_teammate(reply.proposal_position, last_staff_position)


def talks_over_teammate(positions: HandoverPositions) -> bool:
    """An AI message delivered now would follow a teammate's with no hand-back between: the
    handoff's arbitration and the late-commit guard exist so that this never happens, and the
    gateway counts it (`baton_ai_after_teammate_total`) as an independent check of both."""
    return positions.last_staff > positions.last_ai_resume


def visible_message(
    event: VisitorMessageReceived | StaffReplied | AiReplyCommitted, position: int
) -> dict[str, Any]:
    """The stored (and streamed) form of a message the visitor may see."""
    base: dict[str, Any] = {
        "thread_id": event.thread_id,
        "position": position,
        "text": event.text,
        "created_at": event.occurred_at,
        "sources": [],
    }
    match event:
        case VisitorMessageReceived():
            return {**base, "_id": event.message_id, "author": "visitor"}
        case StaffReplied():
            return {
                **base,
                "_id": event.message_id,
                "author": "staff",
                "staff_name": event.staff_name,
            }
        case AiReplyCommitted():
            sources = [source.model_dump() for source in event.sources]
            return {**base, "_id": event.reply_id, "author": "ai", "sources": sources}


def public_message(doc: dict[str, Any]) -> dict[str, Any]:
    message: dict[str, Any] = {
        "id": doc["_id"],
        "author": doc["author"],
        "text": doc["text"],
        "sources": doc.get("sources", []),
        "created_at": doc["created_at"].isoformat(),
    }
    if doc.get("staff_name"):
        message["staff_name"] = doc["staff_name"]
    return message
