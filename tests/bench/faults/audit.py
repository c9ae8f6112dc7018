"""What a fault run did to each visitor, from what their stream showed and what the log holds.

Pure: the run collects, this counts (tests/unit/test_fault_audit.py)."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from baton_events import (
    AiReplyCommitted,
    ConversationEvent,
    EscalationRaised,
    StaffReplied,
    ThreadMode,
    ThreadModeChanged,
    VisitorMessageReceived,
)
from tests.bench.load.widget_client import expected_reply_id


@dataclass(frozen=True)
class ThreadSeen:
    """One visitor's side: the messages the gateway accepted and every frame shown."""

    accepted: list[str]
    frames: list[dict[str, Any]]
    refused: int = 0


@dataclass
class FaultCounts:
    sent: int = 0  # messages the visitors tried to send
    accepted: int = 0
    answered: int = 0  # an AI reply shown on the visitor's stream
    escalated: int = 0  # handed to a teammate (EscalationRaised), shown an answer or not
    held_for_teammate: int = 0  # asked while a teammate owned the thread: no AI reply is due
    refused: int = 0  # never accepted, even after retrying through the outage
    lost: int = 0  # accepted, yet neither in the log nor answered, escalated or held
    duplicated: int = 0  # a message shown twice, or a question answered twice
    ai_after_teammate: int = 0  # an AI reply shown after a teammate's, with no hand-back
    errors_once_settled: int = 0  # 5xx answers later than SETTLE_S after the last fault
    lost_ids: list[str] = field(default_factory=list)
    repeats: list[dict[str, Any]] = field(default_factory=list)  # the frames shown twice

    def summary(self) -> dict[str, int]:
        return {k: v for k, v in vars(self).items() if isinstance(v, int)}


SETTLE_S = 10.0  # a fault's own outage: what follows it by longer is a failure to recover


def errors_once_settled(error_times: list[float], fault_times: list[float]) -> int:
    """5xx answers given more than SETTLE_S after the fault before them: a restarted server
    is back within seconds, so an error later than that is the stack failing to recover."""
    late = 0
    for at in error_times:
        before = [f for f in fault_times if f <= at]
        if before and at - max(before) > SETTLE_S:
            late += 1
    return late


def _human_at(log: list[tuple[int, ConversationEvent]], position: int) -> bool:
    """The thread's owner at a log position, as the handoff folds it: a teammate's message
    takes it at once; a mode change says who has it after."""
    human = False
    for offset, event in log:
        if offset >= position:
            break
        if isinstance(event, StaffReplied):
            human = True
        elif isinstance(event, ThreadModeChanged):
            human = event.mode is not ThreadMode.AI
    return human


def _handed_back_between(log: list[tuple[int, ConversationEvent]], start: int, end: int) -> bool:
    return any(
        isinstance(event, ThreadModeChanged) and event.mode is ThreadMode.AI
        for offset, event in log
        if start < offset < end
    )


def _ai_after_teammate(log: list[tuple[int, ConversationEvent]], shown: set[str]) -> int:
    """Shown AI replies that came after a teammate's message with no hand-back before the
    reply was proposed (the handoff must suppress those, the gateway withhold a late one)."""
    staff = [offset for offset, event in log if isinstance(event, StaffReplied)]
    violations = 0
    for offset, event in log:
        if not isinstance(event, AiReplyCommitted) or event.reply_id not in shown:
            continue
        proposed = event.proposal_position
        if proposed is None:
            continue
        if any(s < offset and not _handed_back_between(log, s, proposed) for s in staff):
            violations += 1
    return violations


def audit(
    threads: dict[str, ThreadSeen], log: dict[str, list[tuple[int, ConversationEvent]]]
) -> FaultCounts:
    counts = FaultCounts()
    for thread_id, seen in threads.items():
        events = log.get(thread_id, [])
        logged = {
            event.message_id: offset
            for offset, event in events
            if isinstance(event, VisitorMessageReceived)
        }
        escalated = {e.message_id for _, e in events if isinstance(e, EscalationRaised)}
        shown = Counter(str(frame["id"]) for frame in seen.frames)
        counts.sent += len(seen.accepted) + seen.refused
        counts.accepted += len(seen.accepted)
        counts.refused += seen.refused
        repeated = {message_id for message_id, n in shown.items() if n > 1}
        counts.duplicated += len(repeated)
        counts.repeats.extend(
            {"thread_id": thread_id, **frame} for frame in seen.frames if frame["id"] in repeated
        )
        for message_id in seen.accepted:
            answered = expected_reply_id(message_id) in shown
            counts.answered += answered
            counts.escalated += message_id in escalated
            position = logged.get(message_id)
            if position is None:
                counts.lost += 1
                counts.lost_ids.append(message_id)
            elif not answered and message_id not in escalated:
                if _human_at(events, position):
                    counts.held_for_teammate += 1
                else:
                    counts.lost += 1
                    counts.lost_ids.append(message_id)
        counts.ai_after_teammate += _ai_after_teammate(events, set(shown))
    return counts
