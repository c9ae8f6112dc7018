"""Pure rules behind the widget: bot settings parsing, identity signatures, the state fold."""

from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from baton_contracts.bot_document import PrechatField
from baton_contracts.business_hours import BusinessHours, Interval
from baton_events import (
    ConversationEvent,
    EscalationRaised,
    EscalationReason,
    StaffReplied,
    ThreadMode,
    ThreadModeChanged,
)
from baton_gateway.adapters.bots import bot_from_doc, identity_hash
from baton_gateway.visitor_state import public_state, state_change


def bot(**settings: Any) -> Any:
    return bot_from_doc(
        {
            "_id": "b",
            "bot_key": "k",
            "account_id": "a",
            "allowed_origins": ["https://x/"],
            **settings,
        }
    )


def test_prechat_fields_accept_both_forms_and_drop_unknown_and_repeats() -> None:
    raw = ["name", {"field": "email", "required": True}, "phone", {"field": "name"}, 7, {}]
    assert bot(prechat_fields=raw).prechat_fields == (
        PrechatField(field="name", required=False),
        PrechatField(field="email", required=True),
    )
    assert bot(prechat_fields="name,email").prechat_fields == ()
    only_true = bot(prechat_fields=[{"field": "company", "required": "yes"}]).prechat_fields
    assert only_true == (PrechatField(field="company"),)


def test_bot_settings_fall_back_to_safe_defaults() -> None:
    plain = bot(name="Orbit help")
    assert (plain.display_name, plain.accent_color, plain.greeting) == (
        "Orbit help",
        "#3b5bdb",
        None,
    )
    assert plain.identity_secret is None and plain.allows("https://x")
    odd = bot(display_name="  ", accent_color="red;}", identity_secret="", greeting=" Hi ")
    assert (odd.display_name, odd.accent_color, odd.greeting) == ("Support", "#3b5bdb", "Hi")
    assert odd.identity_secret is None


def test_identity_signature_is_hmac_sha256_hex_and_checked_exactly() -> None:
    signed = bot(identity_secret="secret")
    good = identity_hash("secret", "42")
    # the documented example: echo -n 42 | openssl dgst -sha256 -hmac secret
    assert good == "93c121e7aa437a1e01e3c512c6f0ce3c821a839025dca4408f85616de4aaee70"
    assert signed.verifies("42", good) and signed.verifies("42", good.upper())
    assert not signed.verifies("43", good)
    assert not signed.verifies("42", identity_hash("other", "42"))
    assert not signed.verifies("42", good[:-2])
    assert not signed.verifies("42", "ü" * 64)
    assert not bot().verifies("42", identity_hash("", "42"))  # no secret: nothing verifies


def mode(value: ThreadMode) -> ThreadModeChanged:
    return ThreadModeChanged(
        thread_id="t", account_id="a", mode=value, mode_version=1, reason="test"
    )


def escalation() -> EscalationRaised:
    return EscalationRaised(
        thread_id="t", account_id="a", message_id="m", reason=EscalationReason.OUT_OF_DOCS
    )


def test_escalation_asks_for_email_only_while_the_ai_holds_the_thread() -> None:
    assert public_state({}, team_online=False) == {
        "mode": "ai",
        "escalated": False,
        "ask_email": False,
        "team_open": True,
        "team_back_at": None,
    }
    session: dict[str, Any] = {}
    session.update(state_change(escalation()) or {})
    assert public_state(session, team_online=False)["ask_email"]
    assert not public_state(session, team_online=True)["ask_email"]  # someone can answer now
    assert not public_state({**session, "email_known": True}, team_online=False)["ask_email"]
    session.update(state_change(mode(ThreadMode.HUMAN)) or {})
    assert public_state(session, team_online=False) == {
        "mode": "human",
        "escalated": False,
        "ask_email": False,
        "team_open": True,
        "team_back_at": None,
    }
    session.update(state_change(mode(ThreadMode.AI)) or {})
    assert (
        public_state(session, team_online=False)["mode"] == "ai"
        and not public_state(session, team_online=False)["ask_email"]
    )
    staff = StaffReplied(
        thread_id="t", account_id="a", message_id="s", staff_id="x", staff_name="A", text="hi"
    )
    assert state_change(staff) is None


@given(st.lists(st.sampled_from(["escalate", "ai", "human", "closed"]), max_size=12))
def test_state_depends_only_on_the_events_since_the_last_takeover(kinds: list[str]) -> None:
    """Folding every event equals folding only what came after the last human/closed mode:
    a teammate taking over wipes the escalation, whatever came before."""
    events: dict[str, Callable[[], ConversationEvent]] = {
        "escalate": escalation,
        "ai": lambda: mode(ThreadMode.AI),
        "human": lambda: mode(ThreadMode.HUMAN),
        "closed": lambda: mode(ThreadMode.CLOSED),
    }
    full: dict[str, Any] = {}
    for kind in kinds:
        full.update(state_change(events[kind]()) or {})
    cut = max((i for i, k in enumerate(kinds) if k in ("human", "closed")), default=-1)
    tail: dict[str, Any] = {}
    for kind in kinds[cut:] if cut >= 0 else kinds:
        tail.update(state_change(events[kind]()) or {})
    assert public_state(full, team_online=False) == public_state(tail, team_online=False)


def test_outside_business_hours_the_widget_learns_when_the_team_is_back() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    hours = BusinessHours(berlin, {d: [Interval(time(9), time(17))] for d in ("mon", "fri")})
    saturday = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    session: dict[str, Any] = {}
    session.update(state_change(escalation()) or {})
    state = public_state(session, team_online=True, hours=hours, now=saturday)
    assert state["team_open"] is False
    assert state["team_back_at"] == "2026-12-07T08:00:00Z"  # Monday 09:00 in Berlin
    # Someone is logged in, but it is outside the team's hours: the e-mail is asked for.
    assert state["ask_email"] is True
    friday_noon = datetime(2026, 12, 4, 11, 0, tzinfo=UTC)
    open_now = public_state(session, team_online=True, hours=hours, now=friday_noon)
    assert (open_now["team_open"], open_now["team_back_at"], open_now["ask_email"]) == (
        True,
        None,
        False,
    )
