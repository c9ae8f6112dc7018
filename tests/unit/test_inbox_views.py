"""What staff clients get for stored threads, messages and notes: the JSON the inbox page and
the live stream have always read (isoformat datetimes, null for what a thread lacks)."""

from datetime import UTC, datetime
from typing import Any

from bson.tz_util import utc

from baton_inbox.adapters.presence import Presence
from baton_inbox.views import message_view, note_view, presence_view, thread_detail, thread_view

# As the tz-aware MongoDB client reads them back (milliseconds), and as written just now.
STORED_AT = datetime(2026, 3, 1, 9, 30, 5, 123000, tzinfo=utc)
WHOLE_MINUTE = datetime(2026, 3, 1, 9, 40, tzinfo=utc)
JUST_NOW = datetime(2026, 3, 1, 9, 41, 2, 654321, tzinfo=UTC)

NEW_THREAD = {
    "_id": "t-1",
    "account_id": "acc-1",
    "bot_id": "bot-1",
    "visitor": {"name": "Ada", "verified": False},  # what it lacks reads as null
    "created_at": STORED_AT,
    "mode": "ai",
    "mode_version": 0,
    "status": "open",
    "needs_human": False,
    "partition": 3,
    "last_position": 17,
}
ESCALATED_THREAD = {
    **NEW_THREAD,
    "_id": "t-2",
    "visitor": {
        "name": None,
        "email": "v@example.com",
        "company": "ACME",
        "user_id": "u-9",
        "verified": True,
    },
    "page_url": "https://example.com/p",
    "user_agent": "UA",
    "mode": "human",
    "mode_version": 2,
    "needs_human": True,
    "escalation_reason": "asked_for_human",
    "escalated_at": WHOLE_MINUTE,
    "assignee_id": "s-1",
    "assignee_name": "Bob Smith",
    "waiting_since": STORED_AT,
    "last_message_at": WHOLE_MINUTE,
    "last_visitor_text": "help",
    "handback_deadline": JUST_NOW,
    "meta_at": JUST_NOW,
    "partition": 0,
    "last_position": 42,
}
MESSAGES: list[dict[str, Any]] = [
    {"author": "visitor", "created_at": STORED_AT},
    {
        "author": "ai",
        "sources": [{"title": "Doc", "url": "https://d/1"}],
        "confidence": 0.5,
        "suppressed": False,
        "created_at": WHOLE_MINUTE,
    },
    {"author": "staff", "staff_id": "s-1", "staff_name": "Bob", "created_at": JUST_NOW},
]
NOTE = {
    "_id": "n-1",
    "account_id": "acc-1",
    "thread_id": "t-2",
    "staff_id": "s-1",
    "staff_name": "Bob Smith",
    "text": "vip",
    "created_at": JUST_NOW,
}


def stored_message(index: int) -> dict[str, Any]:
    return {"_id": f"m-{index}", "thread_id": "t-2", "position": index, "text": "hi"} | (
        MESSAGES[index]
    )


def test_a_new_thread_has_every_field_null_until_set() -> None:
    assert thread_view(NEW_THREAD) == {
        "id": "t-1",
        "seq": 17,
        "account_id": "acc-1",
        "bot_id": "bot-1",
        "visitor": {
            "name": "Ada",
            "email": None,
            "company": None,
            "user_id": None,
            "verified": False,
        },
        "page_url": None,
        "user_agent": None,
        "created_at": "2026-03-01T09:30:05.123000+00:00",
        "mode": "ai",
        "mode_version": 0,
        "status": "open",
        "needs_human": False,
        "escalation_reason": None,
        "escalated_at": None,
        "assignee_id": None,
        "assignee_name": None,
        "waiting_since": None,
        "last_message_at": None,
        "last_visitor_text": None,
        "handback_deadline": None,
        "response_due_at": None,
        "response_alert": None,
        "meta_at": None,
        "partition": 3,
    }


def test_an_escalated_thread_keeps_its_stored_values_and_datetime_format() -> None:
    view = thread_view(ESCALATED_THREAD)
    assert (view["id"], view["seq"], view["mode"], view["escalation_reason"]) == (
        "t-2",
        42,
        "human",
        "asked_for_human",
    )
    assert view["visitor"] == ESCALATED_THREAD["visitor"]
    assert (view["escalated_at"], view["waiting_since"], view["handback_deadline"]) == (
        "2026-03-01T09:40:00+00:00",
        "2026-03-01T09:30:05.123000+00:00",
        "2026-03-01T09:41:02.654321+00:00",
    )
    assert "_id" not in view and "last_position" not in view


def test_each_author_keeps_the_fields_of_its_own() -> None:
    base = {"thread_id": "t-2", "text": "hi"}
    assert [message_view(stored_message(index)) for index in range(3)] == [
        {
            **base,
            "id": "m-0",
            "position": 0,
            "author": "visitor",
            "created_at": "2026-03-01T09:30:05.123000+00:00",
        },
        {
            **base,
            "id": "m-1",
            "position": 1,
            "author": "ai",
            "sources": [{"title": "Doc", "url": "https://d/1"}],
            "confidence": 0.5,
            "suppressed": False,
            "created_at": "2026-03-01T09:40:00+00:00",
        },
        {
            **base,
            "id": "m-2",
            "position": 2,
            "author": "staff",
            "staff_id": "s-1",
            "staff_name": "Bob",
            "created_at": "2026-03-01T09:41:02.654321+00:00",
        },
    ]


def test_a_note_leaves_its_account_out() -> None:
    assert note_view(NOTE) == {
        "id": "n-1",
        "thread_id": "t-2",
        "staff_id": "s-1",
        "staff_name": "Bob Smith",
        "text": "vip",
        "created_at": "2026-03-01T09:41:02.654321+00:00",
    }


def test_the_thread_detail_is_the_thread_with_its_history_notes_and_people() -> None:
    people = [Presence("s-1", "Bob", "typing", 10_000), Presence("s-2", "Al", "viewing", 100)]
    messages = [stored_message(index) for index in range(3)]
    detail = thread_detail(ESCALATED_THREAD, messages, [NOTE], people, 4_000)
    assert detail.model_dump(mode="json") == {
        **thread_view(ESCALATED_THREAD),
        "messages": [message_view(message) for message in messages],
        "notes": [note_view(NOTE)],
        "presence": [
            {"staff_id": "s-1", "name": "Bob", "state": "typing", "ttl_ms": 6000},
            {"staff_id": "s-2", "name": "Al", "state": "viewing", "ttl_ms": 0},
        ],
    }
    assert presence_view(people, 4_000) == detail.model_dump(mode="json")["presence"]
