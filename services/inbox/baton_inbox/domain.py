"""How each conversation event changes the inbox's thread view (pure)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from baton_events import (
    AiReplyCommitted,
    AiReplySuppressed,
    ConversationEvent,
    EscalationRaised,
    StaffReplied,
    ThreadModeChanged,
    ThreadStarted,
    VisitorContactLeft,
    VisitorMessageReceived,
    overtaken_by_teammate,
)


def thread_document(event: ThreadStarted) -> dict[str, Any]:
    return {
        "_id": event.thread_id,
        "account_id": event.account_id,
        "bot_id": event.bot_id,
        "visitor": event.visitor.model_dump(),
        "page_url": event.page_url,
        "user_agent": event.user_agent,
        "created_at": event.occurred_at,
        "mode": "ai",
        "mode_version": 0,
        "status": "open",
        "needs_human": False,
        "escalation_reason": None,
        "assignee_id": None,
        "waiting_since": None,
        "last_message_at": None,
        "handback_deadline": None,
    }


def thread_changes(event: ConversationEvent, position: int) -> dict[str, Any]:
    """Fields of the thread document that this event, at log `position`, sets."""
    at: datetime = event.occurred_at
    match event:
        case VisitorMessageReceived():
            return {"last_message_at": at, "last_visitor_text": event.text[:200]}
        case AiReplyCommitted():
            return {"last_message_at": at, "waiting_since": None, "ai_replied": True}
        case EscalationRaised():
            # The response clock's fields: `first_changes`.
            return {"needs_human": True, "escalation_reason": event.reason.value}
        case StaffReplied():
            # a teammate answering is the escalation being handled
            return {
                "last_message_at": at,
                "waiting_since": None,
                "needs_human": False,
                "staff_replied": True,
                # what a later AI commit is checked against (`live_message`)
                "last_staff_position": position,
            }
        case VisitorContactLeft():
            # Where the pre-chat e-mail lives, so every view (list, thread, digest) shows it.
            return {"visitor.email": event.email}
        case ThreadModeChanged():
            return {
                "mode": event.mode.value,
                "mode_version": event.mode_version,
                "handback_deadline": event.handback_deadline,
                "status": "closed" if event.mode.value == "closed" else "open",
            }
        case _:
            return {}


@dataclass(frozen=True)
class FirstChanges:
    """Fields an event sets only when the thread matches `unless_running`'s opposite: what
    starts a clock must not restart one already running."""

    when: dict[str, Any]  # the thread's condition, as a MongoDB filter
    fields: dict[str, Any]


def first_changes(event: ConversationEvent) -> FirstChanges | None:
    """A visitor message starts the thread's wait unless one is running; an escalation starts
    the response clock unless an escalation is still waiting for a teammate. (Before, every
    escalation restarted the clock, so a visitor who kept escalating pushed the response
    target's alerts back each time.)"""
    at: datetime = event.occurred_at
    match event:
        case VisitorMessageReceived():
            return FirstChanges({"waiting_since": None}, {"waiting_since": at})
        case EscalationRaised():
            return FirstChanges(
                {"needs_human": {"$ne": True}},
                {"escalated_at": at, "response_due_at": None, "response_alert": None},
            )
        case _:
            return None


def thread_history(event: ConversationEvent, position: int) -> dict[str, Any] | None:
    """What the thread document appends for the event: the log positions where the AI got
    the thread back from a teammate, so reports can tell an AI message after a hand-back from
    one that talked over a teammate."""
    if isinstance(event, ThreadModeChanged) and event.mode.value == "ai":
        return {"ai_resumed_at": position}
    return None


def message_document(event: ConversationEvent, position: int) -> dict[str, Any] | None:
    base: dict[str, Any] = {"thread_id": event.thread_id, "position": position}
    match event:
        case VisitorMessageReceived():
            return {
                **base,
                "_id": event.message_id,
                "author": "visitor",
                "text": event.text,
                "created_at": event.occurred_at,
            }
        case StaffReplied():
            return {
                **base,
                "_id": event.message_id,
                "author": "staff",
                "text": event.text,
                "staff_id": event.staff_id,
                "staff_name": event.staff_name,
                "created_at": event.occurred_at,
            }
        case AiReplyCommitted() | AiReplySuppressed():
            return {
                **base,
                "_id": event.reply_id,
                "author": "ai",
                "text": event.text,
                "sources": [s.model_dump() for s in event.sources],
                "confidence": event.confidence,
                "suppressed": isinstance(event, AiReplySuppressed),
                # A commit that lands after a teammate's message although its proposal came
                # before it: the gateway withholds it from the visitor (was_delivered below).
                "proposal_position": (
                    event.proposal_position if isinstance(event, AiReplyCommitted) else None
                ),
                "created_at": event.occurred_at,
            }
        case _:
            return None


def was_delivered(ai_message: dict[str, Any], last_staff: int | None) -> bool:
    """Whether the visitor got this AI message. Suppressed drafts never left the handoff; a
    commit overtaken by a teammate's message (`last_staff`: the thread's latest one before it
    in log order) was withheld by the gateway, by the same rule. Messages stored before
    `proposal_position` was kept count as sent."""
    if ai_message.get("suppressed"):
        return False
    proposal = ai_message.get("proposal_position")
    return proposal is None or not overtaken_by_teammate(int(proposal), last_staff)


def live_message(message: dict[str, Any], thread: dict[str, Any], position: int) -> dict[str, Any]:
    """The message at `position` as the staff's live stream shows it, given its thread as
    written by that same event: an AI commit the gateway withheld is marked `suppressed` at
    once, as the thread view marks it on reload. A thread written by a later event (a
    redelivery) no longer tells which teammate message came before this one; the message is
    then shown as stored, and the next read of the thread marks it."""
    last_staff = thread.get("last_staff_position")
    if (
        message.get("author") != "ai"
        or last_staff is None
        or int(last_staff) >= position
        or was_delivered(message, int(last_staff))
    ):
        return message
    return {**message, "suppressed": True}


def mark_withheld(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A thread's messages in log order, each AI message the visitor never got marked
    `suppressed`, so staff read the transcript the visitor read."""
    last_staff: int | None = None
    for message in messages:
        if message.get("author") == "staff":
            last_staff = int(message["position"])
        elif message.get("author") == "ai" and not was_delivered(message, last_staff):
            message["suppressed"] = True
    return messages
