"""The fault run's audit: from what a visitor's stream showed and what the log holds, which
messages were answered, held for a teammate, lost or duplicated, and which AI replies came
after a teammate's message without a hand-back."""

from typing import Any

from baton_events import (
    AiReplyCommitted,
    ConversationEvent,
    StaffReplied,
    ThreadMode,
    ThreadModeChanged,
    VisitorMessageReceived,
)
from tests.bench.faults.audit import SETTLE_S, ThreadSeen, audit, errors_once_settled
from tests.bench.load.widget_client import expected_reply_id


def _asked(message_id: str) -> VisitorMessageReceived:
    return VisitorMessageReceived(
        thread_id="t1",
        account_id="a1",
        bot_id="b1",
        message_id=message_id,
        client_message_id=message_id,
        text="?",
    )


def _committed(message_id: str, proposal_position: int) -> AiReplyCommitted:
    return AiReplyCommitted(
        thread_id="t1",
        account_id="a1",
        reply_id=expected_reply_id(message_id),
        in_reply_to=message_id,
        text="answer",
        sources=[],
        confidence=0.9,
        proposal_position=proposal_position,
    )


def _staff() -> StaffReplied:
    return StaffReplied(
        thread_id="t1", account_id="a1", message_id="s1", staff_id="u1", staff_name="Ana", text="hi"
    )


def _frame(message_id: str) -> dict[str, Any]:
    return {"id": message_id}


def test_answered_held_and_lost_messages_are_told_apart() -> None:
    log: list[tuple[int, ConversationEvent]] = [
        (0, _asked("m1")),
        (2, _committed("m1", 1)),
        (3, _asked("m2")),  # never answered though the AI owned the thread: lost
        (5, _staff()),
        (7, _asked("m3")),  # the teammate's thread: no AI reply is due
    ]
    seen = ThreadSeen(
        accepted=["m1", "m2", "m3", "m4"],  # m4 never reached the log: lost
        frames=[_frame("m1"), _frame(expected_reply_id("m1")), _frame("s1"), _frame("m3")],
    )
    counts = audit({"t1": seen}, {"t1": log})
    assert counts.summary() == {
        "sent": 4,
        "accepted": 4,
        "answered": 1,
        "escalated": 0,
        "held_for_teammate": 1,
        "refused": 0,
        "lost": 2,
        "duplicated": 0,
        "ai_after_teammate": 0,
        "errors_once_settled": 0,
    }
    assert counts.lost_ids == ["m2", "m4"]


def test_an_ai_reply_shown_after_a_teammate_without_a_hand_back_is_counted() -> None:
    log: list[tuple[int, ConversationEvent]] = [
        (0, _asked("m1")),
        (1, _staff()),
        (3, _committed("m1", 2)),  # proposed after the teammate took over
    ]
    shown = [_frame("m1"), _frame("s1"), _frame(expected_reply_id("m1"))]
    counts = audit({"t1": ThreadSeen(["m1"], shown)}, {"t1": log})
    assert counts.ai_after_teammate == 1


def test_a_hand_back_before_the_proposal_makes_the_ai_reply_rightful() -> None:
    handed_back = ThreadModeChanged(
        thread_id="t1", account_id="a1", mode=ThreadMode.AI, mode_version=3, reason="idle"
    )
    log: list[tuple[int, ConversationEvent]] = [
        (0, _staff()),
        (1, handed_back),
        (2, _asked("m1")),
        (4, _committed("m1", 3)),
    ]
    shown = [_frame("s1"), _frame("m1"), _frame(expected_reply_id("m1")), _frame("m1")]
    counts = audit({"t1": ThreadSeen(["m1"], shown)}, {"t1": log})
    assert (counts.ai_after_teammate, counts.answered, counts.duplicated) == (0, 1, 1)


def test_errors_during_a_fault_are_its_outage_and_later_ones_a_failure_to_recover() -> None:
    faults = [100.0, 200.0]
    during = [100.5, 100.0 + SETTLE_S - 1, 201.0]
    after = [100.0 + SETTLE_S + 1, 250.0]
    before_any_fault = [50.0]
    assert errors_once_settled(during, faults) == 0
    assert errors_once_settled(after, faults) == 2
    assert errors_once_settled(before_any_fault, faults) == 0
