from datetime import UTC, datetime, time

from baton_inbox.digest import DigestWindow, digest_email, latest_window


def test_window_ends_at_the_latest_digest_time() -> None:
    morning = latest_window(datetime(2026, 11, 26, 9, 30, tzinfo=UTC), time(8, 0), 14)
    assert morning.end == datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    assert morning.start == datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
    before = latest_window(datetime(2026, 11, 26, 7, 59, tzinfo=UTC), time(8, 0), 14)
    assert before.end == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def test_email_lists_each_thread_with_reason_state_and_link() -> None:
    window = DigestWindow(
        datetime(2026, 11, 25, 18, tzinfo=UTC), datetime(2026, 11, 26, 8, tzinfo=UTC)
    )
    threads = [
        {
            "_id": "t-1",
            "visitor": {"name": "Ada"},
            "escalation_reason": "asked_for_human",
            "needs_human": True,
            "last_visitor_text": "talk to a human",
            "escalated_at": datetime(2026, 11, 25, 23, 5, tzinfo=UTC),
        },
        {
            "_id": "t-2",
            "visitor": {},
            "escalation_reason": "out_of_docs",
            "needs_human": False,
            "last_visitor_text": "EU hosting?",
            "escalated_at": datetime(2026, 11, 26, 2, 0, tzinfo=UTC),
        },
    ]
    message = digest_email(
        to="al@example.test",
        account_name="Orbit",
        window=window,
        escalated=threads,
        inbox_url="https://inbox.example",
    )
    assert message["Subject"] == "Orbit: 2 escalated overnight, 1 still waiting"
    body = message.get_content()
    assert "Ada (asked for a person, still waiting)" in body
    assert "Visitor t-2 (not in the docs, answered by a teammate)" in body
    assert "https://inbox.example/#thread=t-1" in body
    assert body.index("Ada") < body.index("Visitor t-2")
