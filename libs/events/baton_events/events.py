"""One pydantic model per event of the conversation aggregate (topic conversation.events)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from baton_events.envelope import SCHEMA_MAJOR, EventEnvelope
from baton_events.modes import EscalationReason, ThreadMode

MAX_MESSAGE_CHARS = 8000
# 1.1 added handback_idle_seconds; a 1.0 reader drops it, as it drops any newer minor field.
HUMAN_CLOCK_VERSION = f"{SCHEMA_MAJOR}.1"


class VisitorProfile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    company: str | None = Field(default=None, max_length=200)


class ThreadVisitor(VisitorProfile):
    """Who opened the thread: what they told the widget, plus the customer's user id when the
    gateway checked its HMAC signature. An unsigned user id never gets here."""

    # Inside an event, fields a newer minor version adds are dropped, as at the top level, so
    # consumers can be upgraded after producers. (VisitorProfile, the widget's form, refuses
    # unknown fields.)
    model_config = ConfigDict(extra="ignore", frozen=True)

    user_id: str | None = Field(
        default=None, max_length=200, description="The customer's id of a verified user."
    )
    verified: bool = Field(
        default=False, description="user_id was signed with the bot's identity secret."
    )


class SourceRef(BaseModel):
    """A help page an answer used, as the visitor sees the link."""

    model_config = ConfigDict(extra="ignore", frozen=True)  # see ThreadVisitor

    title: str
    url: str


class ThreadStarted(EventEnvelope):
    """A visitor opened a chat session with a bot."""

    type: Literal["thread_started"] = "thread_started"
    bot_id: str
    visitor: ThreadVisitor
    page_url: str | None = None
    user_agent: str | None = None


class VisitorMessageReceived(EventEnvelope):
    """A visitor's message, accepted by the gateway."""

    type: Literal["visitor_message_received"] = "visitor_message_received"
    bot_id: str
    message_id: str
    client_message_id: str
    text: str = Field(max_length=MAX_MESSAGE_CHARS)


class AiReplyProposed(EventEnvelope):
    """The agent's answer to one visitor message; not visible until the handoff commits it."""

    type: Literal["ai_reply_proposed"] = "ai_reply_proposed"
    reply_id: str
    in_reply_to: str = Field(description="message_id of the visitor message answered")
    text: str
    sources: tuple[SourceRef, ...] = ()
    confidence: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="How closely the docs matched, on answers; none on notices (not in the "
        "docs, handing over, asking to clarify)",
    )
    mode_version_seen: int = Field(description="Mode version the agent read before proposing")


class AiReplyCommitted(EventEnvelope):
    """The handoff found the thread AI-owned at the proposal's log position: deliver it."""

    type: Literal["ai_reply_committed"] = "ai_reply_committed"
    reply_id: str
    in_reply_to: str
    text: str
    sources: tuple[SourceRef, ...] = ()
    confidence: float | None = None
    proposal_position: int = Field(description="Log offset of the AiReplyProposed committed")


class AiReplySuppressed(EventEnvelope):
    """A proposal that met a thread no longer AI-owned: kept for staff, never delivered."""

    type: Literal["ai_reply_suppressed"] = "ai_reply_suppressed"
    reply_id: str
    in_reply_to: str
    text: str
    sources: tuple[SourceRef, ...] = ()
    confidence: float | None = None
    mode: ThreadMode


class HumanClockStarted(EventEnvelope):
    """Base of the events that start or restart a human-owned thread's idle clock: they carry
    the idle time in force when the teammate acted, so a replay of the log sets the same
    hand-back deadline whatever the bot's settings say by then."""

    version: str = Field(
        default=HUMAN_CLOCK_VERSION, description="Schema version MAJOR.MINOR of this event type."
    )
    handback_idle_seconds: int | None = Field(
        default=None,
        gt=0,
        description="The bot's hand-back idle time when the teammate acted (since 1.1). "
        "Absent (older events, bots without one): the handoff's configured default.",
    )


class StaffReplied(HumanClockStarted):
    """A teammate's message to the visitor; it takes the thread over."""

    type: Literal["staff_replied"] = "staff_replied"
    message_id: str
    staff_id: str
    staff_name: str
    text: str = Field(max_length=MAX_MESSAGE_CHARS)


class StandbyRequested(HumanClockStarted):
    """A teammate holds the AI off: keeps the thread human and restarts the idle clock."""

    type: Literal["standby_requested"] = "standby_requested"
    staff_id: str


class HandbackRequested(EventEnvelope):
    """A teammate hands the thread back to the AI at once."""

    type: Literal["handback_requested"] = "handback_requested"
    staff_id: str


class HandbackDue(EventEnvelope):
    """The idle timer fired for a human thread at the given mode version."""

    type: Literal["handback_due"] = "handback_due"
    mode_version: int


class ThreadClosed(EventEnvelope):
    type: Literal["thread_closed"] = "thread_closed"
    staff_id: str


class ThreadModeChanged(EventEnvelope):
    """The handoff projection moved the thread to a new mode."""

    type: Literal["thread_mode_changed"] = "thread_mode_changed"
    mode: ThreadMode
    mode_version: int
    reason: str
    handback_deadline: datetime | None = None


class EscalationRaised(EventEnvelope):
    """The agent found that a visitor message needs a teammate; notifications follow it."""

    type: Literal["escalation_raised"] = "escalation_raised"
    message_id: str = Field(description="The visitor message that triggered it")
    reason: EscalationReason
    detail: str = Field(default="", max_length=500)


class VisitorContactLeft(EventEnvelope):
    """The visitor left an e-mail for follow-up (the widget asks after an escalation when no
    teammate is online). It does not change who owns the thread."""

    type: Literal["visitor_contact_left"] = "visitor_contact_left"
    email: str = Field(max_length=320)


ConversationEvent = Annotated[
    ThreadStarted
    | VisitorMessageReceived
    | AiReplyProposed
    | AiReplyCommitted
    | AiReplySuppressed
    | StaffReplied
    | StandbyRequested
    | HandbackRequested
    | HandbackDue
    | ThreadClosed
    | ThreadModeChanged
    | EscalationRaised
    | VisitorContactLeft,
    Field(discriminator="type"),
]

EVENT_TYPES: dict[str, type[BaseModel]] = {
    model.model_fields["type"].default: model
    for model in (
        ThreadStarted,
        VisitorMessageReceived,
        AiReplyProposed,
        AiReplyCommitted,
        AiReplySuppressed,
        StaffReplied,
        StandbyRequested,
        HandbackRequested,
        HandbackDue,
        ThreadClosed,
        ThreadModeChanged,
        EscalationRaised,
        VisitorContactLeft,
    )
}
