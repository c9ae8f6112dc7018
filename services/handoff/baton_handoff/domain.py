"""The thread mode projection as a pure fold: state + event at a log position -> decision."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from baton_events import (
    AiReplyCommitted,
    AiReplyProposed,
    AiReplySuppressed,
    ConversationEvent,
    HandbackDue,
    HandbackRequested,
    HumanClockStarted,
    StaffReplied,
    StandbyRequested,
    ThreadClosed,
    ThreadMode,
    ThreadModeChanged,
    ThreadStarted,
    VisitorMessageReceived,
    stable_event_id,
)
from baton_events.envelope import EventEnvelope


@dataclass(frozen=True)
class ModeState:
    thread_id: str
    account_id: str
    mode: ThreadMode = ThreadMode.AI
    mode_version: int = 0
    last_position: int = -1
    handback_deadline: datetime | None = None
    bot_id: str | None = None


@dataclass(frozen=True)
class Decision:
    state: ModeState
    outputs: tuple[EventEnvelope, ...] = ()


def _changed(
    state: ModeState,
    cause: EventEnvelope,
    mode: ThreadMode,
    reason: str,
    deadline: datetime | None,
) -> tuple[ModeState, ThreadModeChanged]:
    version = state.mode_version + 1
    new_state = replace(state, mode=mode, mode_version=version, handback_deadline=deadline)
    event = ThreadModeChanged(
        event_id=stable_event_id(cause.event_id, "mode", version),
        thread_id=state.thread_id,
        account_id=state.account_id,
        occurred_at=cause.occurred_at,
        mode=mode,
        mode_version=version,
        reason=reason,
        handback_deadline=deadline,
    )
    return new_state, event


def _arbitrate(state: ModeState, proposal: AiReplyProposed, position: int) -> EventEnvelope:
    """The handoff invariant: only a thread that is AI-owned at this point of the log gets it."""
    common = {
        "thread_id": proposal.thread_id,
        "account_id": proposal.account_id,
        "reply_id": proposal.reply_id,
        "in_reply_to": proposal.in_reply_to,
        "text": proposal.text,
        "sources": proposal.sources,
        "confidence": proposal.confidence,
    }
    if state.mode is ThreadMode.AI:
        return AiReplyCommitted(
            event_id=stable_event_id(proposal.reply_id, "committed"),
            proposal_position=position,
            **common,
        )
    return AiReplySuppressed(
        event_id=stable_event_id(proposal.reply_id, "suppressed"),
        mode=state.mode,
        **common,
    )


# The events `decide` acts on; any other event only moves the position.
FOLDED_TYPES = (
    ThreadStarted,
    VisitorMessageReceived,
    StaffReplied,
    StandbyRequested,
    HandbackRequested,
    HandbackDue,
    ThreadClosed,
    AiReplyProposed,
)


def folds(event: ConversationEvent) -> bool:
    """Whether `decide` can do anything with the event: the handler reads no state for the
    others (AI replies committed, mode changes, escalations...)."""
    return isinstance(event, FOLDED_TYPES)


def worth_saving(before: ModeState, after: ModeState) -> bool:
    """Whether a fold changed more than the log position.

    A fold that only moves the position need not be written: redelivered after a crash, its
    event folds again from the same state to the same decision, whose outputs carry the same
    deterministic event ids, so consumers drop the repeat. The position guard matters only
    against an event folded before a change was saved, and every change is saved with its
    position. This spares the store a write for every visitor message and AI proposal on an
    AI-owned thread, which is most of the traffic."""
    return replace(after, last_position=before.last_position) != before


def handback_deadline(event: HumanClockStarted, default_idle: timedelta) -> datetime:
    """When a thread the event left human goes back to the AI if nobody acts. The idle time
    is the one the event carries; an event without one (an older event, a bot with no idle
    time of its own) gets the service's default."""
    seconds = event.handback_idle_seconds
    return event.occurred_at + (timedelta(seconds=seconds) if seconds else default_idle)


def decide(
    state: ModeState, event: ConversationEvent, position: int, default_handback_idle: timedelta
) -> Decision:
    """Fold one event. Times and idle times come from the events, so a replay of the log
    reaches the same state, whatever the bots' settings are by then."""
    if position <= state.last_position:
        return Decision(state)  # redelivered: already folded
    at = replace(state, last_position=position)
    match event:
        case ThreadStarted():
            return Decision(replace(at, bot_id=event.bot_id))
        case VisitorMessageReceived() if at.mode is ThreadMode.CLOSED:
            new_state, changed = _changed(at, event, ThreadMode.AI, "visitor_reopened", None)
            return Decision(new_state, (changed,))
        case StaffReplied():
            deadline = handback_deadline(event, default_handback_idle)
            new_state, changed = _changed(at, event, ThreadMode.HUMAN, "staff_replied", deadline)
            return Decision(new_state, (changed,))
        case StandbyRequested() if at.mode is not ThreadMode.CLOSED:
            deadline = handback_deadline(event, default_handback_idle)
            new_state, changed = _changed(at, event, ThreadMode.HUMAN, "standby", deadline)
            return Decision(new_state, (changed,))
        case HandbackRequested() if at.mode is ThreadMode.HUMAN:
            new_state, changed = _changed(at, event, ThreadMode.AI, "handed_back", None)
            return Decision(new_state, (changed,))
        case HandbackRequested() if at.mode is ThreadMode.CLOSED:
            # a teammate reopened a closed thread (the inbox's Reopen): the AI answers again
            new_state, changed = _changed(at, event, ThreadMode.AI, "reopened", None)
            return Decision(new_state, (changed,))
        case HandbackDue() if at.mode is ThreadMode.HUMAN and event.mode_version == at.mode_version:
            new_state, changed = _changed(at, event, ThreadMode.AI, "idle", None)
            return Decision(new_state, (changed,))
        case ThreadClosed() if at.mode is not ThreadMode.CLOSED:
            new_state, changed = _changed(at, event, ThreadMode.CLOSED, "closed", None)
            return Decision(new_state, (changed,))
        case AiReplyProposed():
            return Decision(at, (_arbitrate(at, event, position),))
        case _:
            return Decision(at)


def handback_due_event(state: ModeState) -> HandbackDue:
    return HandbackDue(
        event_id=stable_event_id(state.thread_id, "handback_due", state.mode_version),
        thread_id=state.thread_id,
        account_id=state.account_id,
        mode_version=state.mode_version,
    )
