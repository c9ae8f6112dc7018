from datetime import UTC, datetime

from baton_events import AiReplyCommitted, SourceRef, StaffReplied
from baton_gateway.domain import (
    contact_event_id,
    is_late_commit,
    public_message,
    visible_message,
    visitor_message_id,
)


def commit(proposal_position: int) -> AiReplyCommitted:
    return AiReplyCommitted(
        thread_id="t",
        account_id="a",
        reply_id="r",
        in_reply_to="m",
        text="answer",
        sources=(SourceRef(title="Import", url="https://h/import"),),
        confidence=0.7,
        proposal_position=proposal_position,
    )


def test_commit_after_a_staff_message_is_late() -> None:
    assert is_late_commit(commit(proposal_position=10), last_staff_position=11)
    assert not is_late_commit(commit(proposal_position=10), last_staff_position=9)
    assert not is_late_commit(commit(proposal_position=10), last_staff_position=-1)


def test_visitor_message_id_is_stable_per_thread() -> None:
    assert visitor_message_id("t1", "c") == visitor_message_id("t1", "c")
    assert visitor_message_id("t1", "c") != visitor_message_id("t2", "c")


def test_public_shape_of_ai_and_staff_messages() -> None:
    ai = public_message(visible_message(commit(3), position=4))
    assert ai["id"] == "r" and ai["author"] == "ai"
    assert ai["sources"] == [{"title": "Import", "url": "https://h/import"}]
    at = datetime(2026, 1, 1, tzinfo=UTC)
    staff = public_message(
        visible_message(
            StaffReplied(
                thread_id="t",
                account_id="a",
                message_id="s",
                staff_id="u",
                staff_name="Alex",
                text="<b>hi</b>",
                occurred_at=at,
            ),
            position=5,
        )
    )
    assert staff == {
        "id": "s",
        "author": "staff",
        "text": "<b>hi</b>",
        "sources": [],
        "created_at": at.isoformat(),
        "staff_name": "Alex",
    }


def test_the_same_address_left_twice_is_one_event() -> None:
    first = contact_event_id("t", "ada@example.test")
    assert first == contact_event_id("t", "ada@example.test")
    assert first != contact_event_id("t", "grace@example.test")
    assert first != contact_event_id("other", "ada@example.test")
