"""The digest's window in the account's zone (at its business day's start, or at a set hour
without business hours), and what the e-mail says. Instants are given, never read."""

from datetime import UTC, date, datetime, time
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from baton_contracts.business_hours import BusinessHours, Interval
from baton_inbox.digest import DigestWindow, account_window, digest_email, latest_window

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS_9_TO_5 = {d: [Interval(time(9), time(17))] for d in ("mon", "tue", "wed", "thu", "fri")}


def plain(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert isinstance(part, EmailMessage)
    return str(part.get_content())


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
    body = plain(message)
    assert "Ada (asked for a person, still waiting)" in body
    assert "Visitor t-2 (not in the docs, answered by a teammate)" in body
    assert "https://inbox.example/#thread=t-1" in body
    assert body.index("Ada") < body.index("Visitor t-2")
    html_part = message.get_body(("html",))
    assert isinstance(html_part, EmailMessage)
    html = str(html_part.get_content())
    assert '<a href="https://inbox.example/#thread=t-1">' in html and "<td>Ada</td>" in html


def test_times_in_the_mail_are_the_accounts() -> None:
    window = DigestWindow(
        datetime(2026, 11, 25, 18, tzinfo=UTC), datetime(2026, 11, 26, 8, tzinfo=UTC)
    )
    thread = {
        "_id": "t-1",
        "visitor": {"name": "<b>Eve</b>"},
        "escalated_at": datetime(2026, 11, 25, 23, 5, tzinfo=UTC),
    }
    message = digest_email(
        to="al@example.test",
        account_name="Orbit",
        window=window,
        escalated=[thread],
        inbox_url="https://inbox.example",
        zone=BERLIN,
    )
    assert "Thu 00:05" in plain(message) and "(Europe/Berlin)" in plain(message)
    html_part = message.get_body(("html",))
    assert isinstance(html_part, EmailMessage)
    assert "&lt;b&gt;Eve&lt;/b&gt;" in str(html_part.get_content())  # a visitor's name is text


def test_with_business_hours_monday_covers_the_weekend() -> None:
    hours = BusinessHours(BERLIN, WEEKDAYS_9_TO_5)
    monday_noon = datetime(2026, 12, 7, 12, 0, tzinfo=BERLIN)
    window = account_window(hours, monday_noon, 8, 14)
    assert window == DigestWindow(
        datetime(2026, 12, 4, 9, 0, tzinfo=BERLIN), datetime(2026, 12, 7, 9, 0, tzinfo=BERLIN)
    )
    before_opening = account_window(hours, datetime(2026, 12, 7, 8, 59, tzinfo=BERLIN), 8, 14)
    assert before_opening is not None
    assert before_opening.end == datetime(2026, 12, 4, 9, 0, tzinfo=BERLIN)


def test_the_digest_follows_the_day_across_a_dst_change() -> None:
    hours = BusinessHours(BERLIN, WEEKDAYS_9_TO_5, frozenset({date(2027, 3, 26)}))
    # Monday after the spring change: 09:00 CEST is 07:00 UTC (it was 08:00 UTC on Thursday).
    window = account_window(hours, datetime(2027, 3, 29, 7, 30, tzinfo=UTC), 8, 14)
    assert window is not None
    assert window.end == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
    assert window.start == datetime(2027, 3, 25, 8, 0, tzinfo=UTC)  # Friday was a holiday
    assert window.key == "2027-03-29T07:00"


def test_without_business_hours_the_hour_is_in_the_accounts_zone() -> None:
    tokyo = BusinessHours(ZoneInfo("Asia/Tokyo"))
    window = account_window(tokyo, datetime(2026, 12, 5, 0, 30, tzinfo=UTC), 8, 14)
    assert window is not None
    assert window.end == datetime(2026, 12, 4, 23, 0, tzinfo=UTC)  # 08:00 in Tokyo
    assert (window.end - window.start).total_seconds() == 14 * 3600
    utc = account_window(
        BusinessHours(ZoneInfo("UTC")), datetime(2026, 11, 26, 9, 30, tzinfo=UTC), 8, 14
    )
    assert utc == latest_window(datetime(2026, 11, 26, 9, 30, tzinfo=UTC), time(8, 0), 14)
