"""The schema family of a thread on the staff API and its live stream: the thread
(`ThreadPublic`), its messages (`MessagePublic`, one model per author), private notes
(`NotePublic`) and who is in it (`PresencePublic`)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from baton_events.modes import EscalationReason, ThreadMode

# Written as datetime.isoformat() ("+00:00", not pydantic's "Z"): the format clients have
# always had from this API and its live stream.
IsoDatetime = Annotated[
    datetime,
    PlainSerializer(datetime.isoformat, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}, mode="serialization"),
]


class Public(BaseModel):
    # Fields with a default are still always sent (null when unset): the OpenAPI document
    # says so by listing them as required.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class VisitorPublic(Public):
    """Who opened the thread, as the widget and the gateway's signature check told it."""

    name: str | None = None
    email: str | None = None
    company: str | None = None
    user_id: str | None = Field(default=None, description="The customer's id of a verified user.")
    verified: bool = False


class ThreadPublic(Public):
    """A thread as the inbox has folded it from the log, plus the inbox's own fields."""

    id: str
    account_id: str
    bot_id: str
    visitor: VisitorPublic
    page_url: str | None = None
    user_agent: str | None = None
    created_at: IsoDatetime
    mode: ThreadMode
    mode_version: int
    status: Literal["open", "closed"]
    needs_human: bool
    escalation_reason: EscalationReason | None = None
    escalated_at: IsoDatetime | None = None
    assignee_id: str | None = None
    assignee_name: str | None = None
    waiting_since: IsoDatetime | None = Field(
        default=None, description="Since when the visitor's message awaits an answer."
    )
    last_message_at: IsoDatetime | None = None
    last_visitor_text: str | None = None
    handback_deadline: IsoDatetime | None = None
    response_due_at: IsoDatetime | None = Field(
        default=None,
        description="When the account's response target runs out for this escalation "
        "(counted within business hours); set within a check interval of the escalation.",
    )
    response_alert: Literal["warning", "breached"] | None = Field(
        default=None,
        description="The response target's last threshold alerted: 80% (warning) or 100%.",
    )
    meta_at: IsoDatetime | None = Field(
        default=None, description="When a teammate last changed what is not in the log."
    )
    partition: int | None = Field(default=None, description="The thread's log partition.")
    seq: int = Field(description="The log position this view has folded up to.")


class SourcePublic(Public):
    title: str
    url: str


class MessageBase(Public):
    id: str
    thread_id: str
    position: int = Field(description="The message's log position.")
    text: str
    created_at: IsoDatetime


class VisitorMessagePublic(MessageBase):
    author: Literal["visitor"]


class StaffMessagePublic(MessageBase):
    author: Literal["staff"]
    staff_id: str
    staff_name: str


class AiMessagePublic(MessageBase):
    author: Literal["ai"]
    sources: list[SourcePublic]
    confidence: float | None = Field(
        description="How closely the docs matched, on answers; null on notices"
    )
    suppressed: bool = Field(description="Met a thread no longer AI-owned: never delivered.")


MessagePublic = Annotated[
    VisitorMessagePublic | StaffMessagePublic | AiMessagePublic, Field(discriminator="author")
]


class NotePublic(Public):
    """A private note: teammates only, it never enters the conversation log."""

    id: str
    thread_id: str
    staff_id: str
    staff_name: str
    text: str
    created_at: IsoDatetime


class PresencePublic(Public):
    staff_id: str
    name: str
    state: Literal["viewing", "typing"]
    ttl_ms: int = Field(description="How long the entry lasts unless refreshed (clocks differ).")


class ThreadDetail(ThreadPublic):
    """One thread with its whole history, its notes and who is in it now."""

    messages: list[MessagePublic]
    notes: list[NotePublic]
    presence: list[PresencePublic]


class ThreadList(Public):
    threads: list[ThreadPublic]
    cursor: str = Field(description="Resume the live stream (GET /v1/stream) from here.")
    now: IsoDatetime


class MessageList(Public):
    messages: list[MessagePublic]


class NoteList(Public):
    notes: list[NotePublic]


class ThreadPresence(Public):
    thread_id: str
    people: list[PresencePublic]
