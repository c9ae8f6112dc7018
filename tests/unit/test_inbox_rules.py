"""The inbox's pure rules: stream cursors, collision warnings, team permissions, e-mails.
(No servers needed; they sit here with the other inbox tests.)"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baton_events import ThreadStarted, ThreadVisitor, VisitorContactLeft
from baton_inbox.adapters.presence import Presence, RecentReply
from baton_inbox.collision import collision_warning
from baton_inbox.domain import thread_changes, thread_document
from baton_inbox.live.cursor import CursorError, StreamCursor
from baton_inbox.mail.messages import invite_email, password_reset_email, response_alert_email
from baton_inbox.permissions import can_invite, removal_refusal


@given(
    positions=st.dictionaries(st.integers(0, 63), st.integers(-1, 2**40), max_size=12),
    meta_ms=st.integers(0, 2**45),
)
def test_cursor_survives_its_text_form(positions: dict[int, int], meta_ms: int) -> None:
    cursor = StreamCursor(positions=positions, meta_ms=meta_ms)
    assert StreamCursor.decode(cursor.encode()) == cursor


def test_cursor_moves_forward_only() -> None:
    cursor = StreamCursor(positions={0: 10}, meta_ms=5)
    assert cursor.has_seen(0, 10) and not cursor.has_seen(0, 11) and not cursor.has_seen(3, 0)
    assert cursor.advanced(0, 7) is cursor
    assert cursor.advanced(0, 12).positions == {0: 12}
    assert cursor.advanced(3, 1).positions == {0: 10, 3: 1}
    assert cursor.with_meta(3).meta_ms == 5 and cursor.with_meta(9).meta_ms == 9


@pytest.mark.parametrize("raw", ["", "2.0", "1.x", "1.0.a-1", "1.0.1", "1.-5", "1.0.-2-4"])
def test_a_cursor_it_cannot_read_is_refused(raw: str) -> None:
    with pytest.raises(CursorError):
        StreamCursor.decode(raw)


def person(staff_id: str, name: str, state: str) -> Presence:
    return Presence(staff_id, name, state, expires_ms=10**13)  # type: ignore[arg-type]


def test_collision_warns_about_others_only() -> None:
    me, sam = "me", person("sam", "Sam Rivera", "typing")
    assert collision_warning(me, [person(me, "Me", "typing")], None, 0, 30) is None
    assert collision_warning(me, [sam], None, 0, 30) == "Sam Rivera is typing in this thread."
    two = [sam, person("jo", "Jo", "typing")]
    assert collision_warning(me, two, None, 0, 30) == "Sam Rivera and Jo are typing in this thread."
    assert collision_warning(me, [person("jo", "Jo", "viewing")], None, 0, 30) is None

    reply = RecentReply("sam", "Sam Rivera", at_ms=100_000)
    assert collision_warning(me, [], reply, 112_500, 30) == "Sam Rivera replied 12 s ago."
    assert collision_warning(me, [], reply, 131_000, 30) is None
    assert collision_warning("sam", [], reply, 101_000, 30) is None


def test_team_permissions() -> None:
    assert can_invite("owner", "admin") and can_invite("admin", "agent")
    assert not can_invite("agent", "agent") and not can_invite("owner", "owner")
    assert removal_refusal("o", "owner", "a", "agent") is None
    assert removal_refusal("a1", "admin", "a2", "admin") is None
    assert (
        removal_refusal("x", "agent", "a", "agent") == "only the owner and admins manage the team"
    )
    assert removal_refusal("a1", "admin", "o", "owner") == "the owner cannot be removed"
    assert removal_refusal("a1", "admin", "a1", "admin") is not None


def test_emails_carry_a_readable_link() -> None:
    link = "http://127.0.0.1:8200/invite#token=abc_DEF-123"
    invite = invite_email(
        to="kim@example.test", account_name="Acme", inviter="Alex", role="agent", link=link,
        ttl_hours=72,
    )  # fmt: skip
    assert link in invite.as_string()  # 7-bit: no quoted-printable around the link
    assert invite["Subject"] == "Alex invited you to the Acme inbox on Baton"
    reset = password_reset_email(to="kim@example.test", link=link, ttl_minutes=60)
    assert link in reset.as_string() and "60 minutes" in reset.get_content()
    accented = invite_email(
        to="k@example.test", account_name="Café Zoë", inviter="Zoë", role="admin", link=link,
        ttl_hours=1,
    )  # fmt: skip
    assert "Café Zoë" in accented.get_content()


def test_a_response_alert_says_why_the_thread_was_handed_over_and_reads_in_whole_lines() -> None:
    """Found by exploratory testing: an alert said "asked for a teammate" of a question that
    was not in the docs, and "No teammate has replied yet" of a thread a teammate had answered
    before this escalation; its first paragraph broke mid-sentence."""
    alert = response_alert_email(
        to="lead@example.test", account_name="Acme", visitor="Grace Hopper", breached=False,
        target_minutes=3, escalated_at="Mon 22:59 (UTC)", reason="not in the docs",
        last_visitor_text="Do you sell gift cards?", link="http://127.0.0.1:8200/#thread=t1",
    )  # fmt: skip
    first, *_ = alert.get_content().split("\n\n")
    assert first == (
        "Grace Hopper was handed to a teammate at Mon 22:59 (UTC) (not in the docs) and is "
        "close to the response target of 3 minutes (counted within business hours). No "
        "teammate has replied since."
    )
    assert alert["Subject"] == "Acme: Grace Hopper is close to the 3-minute response target"


def test_the_thread_keeps_who_the_visitor_is() -> None:
    started = ThreadStarted(
        thread_id="t",
        account_id="a",
        bot_id="b",
        visitor=ThreadVisitor(name="Ada", user_id="42", verified=True),
    )
    assert thread_document(started)["visitor"] == {
        "name": "Ada",
        "email": None,
        "company": None,
        "user_id": "42",
        "verified": True,
    }
    # An e-mail left after an escalation goes where the pre-chat e-mail lives.
    left = VisitorContactLeft(thread_id="t", account_id="a", email="ada@example.test")
    assert thread_changes(left, 7) == {"visitor.email": "ada@example.test"}
