"""What travels on Baton's Redis channels and in the Redis values more than one service reads.

Channel names are in `baton_contracts.redis_keys`. Pub/sub is at most once: every reader
tolerates a lost or unreadable payload (it drops it, or re-reads its store), so the parse
helpers here return None rather than raise.
"""

from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

# Only a first name leaves the inbox, and a client cannot make a payload grow without bound.
MAX_NAME_CHARS = 80

# `redis_keys.mode_at_message_signal`: a wake-up with nothing to say; the verdict is in the key.
VERDICT_READY = "1"


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Parsed = TypeVar("Parsed")


def _parse(adapter: TypeAdapter[Parsed], data: str) -> Parsed | None:
    """None for a payload this reader does not understand (another publisher's bug)."""
    try:
        return adapter.validate_json(data)
    except ValidationError:
        return None


# -- `redis_keys.staff_presence` hash values --------------------------------------------------

PresenceState = Literal["viewing", "typing"]


class StaffPresenceEntry(_Payload):
    """One teammate in a thread; the entry is stale once `expires_ms` (ms since the epoch) has
    passed. Written by the inbox, read by the inbox and the agent (a teammate typing)."""

    staff_id: str
    name: str
    state: PresenceState
    expires_ms: int


# -- `redis_keys.thread_live`: inbox and gateway -> the gateway's widget streams ----------------


class StaffTypingSignal(_Payload):
    """A teammate typing in the thread (inbox -> the visitor's widget)."""

    type: Literal["typing"] = "typing"
    author: Literal["staff"] = "staff"
    name: str = ""
    typing: bool

    @field_validator("name")
    @classmethod
    def _short_name(cls, name: str) -> str:
        return name[:MAX_NAME_CHARS]


class ThreadStateChanged(_Payload):
    """The widget's session state changed (mode, escalation, e-mail known): re-read it."""

    type: Literal["state"] = "state"


ThreadLiveSignal = Annotated[StaffTypingSignal | ThreadStateChanged, Field(discriminator="type")]
_thread_live_signal: TypeAdapter[ThreadLiveSignal] = TypeAdapter(ThreadLiveSignal)


def parse_thread_live_signal(data: str) -> ThreadLiveSignal | None:
    return _parse(_thread_live_signal, data)


# -- `redis_keys.thread_visible`: the gateway's projection -> the gateway's widget streams ------


class VisibleMessageNotice(_Payload):
    """A message the visitor may see, as the widget API shows it, with its place in the log.
    `previous_position` is the thread's visible message before it (None: not known), so a
    stream that has sent exactly up to there can send this one on without a store read."""

    position: int
    previous_position: int | None
    message: dict[str, Any] = Field(
        description="The message as the widget API serves it (gateway domain.public_message)."
    )


_visible_message_notice: TypeAdapter[VisibleMessageNotice] = TypeAdapter(VisibleMessageNotice)


def parse_visible_message_notice(data: str) -> VisibleMessageNotice | None:
    return _parse(_visible_message_notice, data)


# -- `redis_keys.inbox_live`: inbox and gateway -> every inbox replica's staff streams ----------


class ThreadChangedItem(_Payload):
    """A change from the conversation log, folded into the inbox's thread store; `thread` and
    `message` are the inbox's public views."""

    kind: Literal["change"] = "change"
    account_id: str
    thread_id: str
    partition: int
    position: int
    thread: dict[str, Any]
    message: dict[str, Any] | None = None


class ThreadMetaChangedItem(_Payload):
    """A teammate's change that is not in the log (assignee, a private note), at `at_ms`."""

    kind: Literal["meta"] = "meta"
    account_id: str
    thread_id: str
    at_ms: int
    thread: dict[str, Any] | None = None
    note: dict[str, Any] | None = None


class PresenceChangedItem(_Payload):
    """Who views or types in a thread now."""

    kind: Literal["presence"] = "presence"
    account_id: str
    thread_id: str
    people: list[StaffPresenceEntry]


class IngestJobChangedItem(_Payload):
    """An ingest job of one of the account's bots moved on: `event` is the ingest event as
    JSON (baton_events.ingest), for the Bots pages following that bot."""

    kind: Literal["ingest"] = "ingest"
    account_id: str
    bot_id: str
    event: dict[str, Any]


class VisitorTypingItem(_Payload):
    """The visitor is typing in the widget (gateway -> the thread's open inbox views); a
    `typing` true holds for a few seconds unless renewed, the widget renews it while typing."""

    kind: Literal["typing"] = "typing"
    account_id: str
    thread_id: str
    typing: bool


InboxLiveItem = Annotated[
    ThreadChangedItem
    | ThreadMetaChangedItem
    | PresenceChangedItem
    | IngestJobChangedItem
    | VisitorTypingItem,
    Field(discriminator="kind"),
]
_inbox_live_item: TypeAdapter[InboxLiveItem] = TypeAdapter(InboxLiveItem)


def parse_inbox_live_item(data: str) -> InboxLiveItem | None:
    return _parse(_inbox_live_item, data)
