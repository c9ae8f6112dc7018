"""Pure rules for the thread facts a widget shows besides messages: who answers now, and
whether the visitor should be asked for an e-mail so the team can follow up."""

from datetime import UTC, datetime
from typing import Any

from baton_contracts.account_hours import ALWAYS_OPEN
from baton_contracts.business_hours import BusinessHours
from baton_events import ConversationEvent, EscalationRaised, ThreadMode, ThreadModeChanged


def state_change(event: ConversationEvent) -> dict[str, Any] | None:
    """The session fields an event changes, or None if it changes none."""
    match event:
        case ThreadModeChanged():
            change: dict[str, Any] = {"mode": event.mode.value}
            if event.mode is not ThreadMode.AI:
                # A teammate has the thread (or closed it): the escalation is being handled.
                change["escalated"] = False
            return change
        case EscalationRaised():
            return {"escalated": True, "escalation_reason": event.reason.value}
    return None


def public_state(
    session: dict[str, Any],
    *,
    team_online: bool,
    hours: BusinessHours = ALWAYS_OPEN,
    now: datetime | None = None,
) -> dict[str, Any]:
    """What the widget receives as `event: state`. The e-mail is asked for only when nobody
    can pick the escalated thread up now (no teammate online, or outside the account's
    business hours) and there is no address to follow up on. `team_back_at` is when the
    hours start again (UTC; the widget shows it in the visitor's time), null while open."""
    at = now or datetime.now(UTC)
    mode = str(session.get("mode", ThreadMode.AI.value))
    escalated = bool(session.get("escalated"))
    team_open = hours.is_open(at)
    back_at = None if team_open else hours.next_opening(at)
    nobody_coming = escalated and mode == ThreadMode.AI.value and not (team_online and team_open)
    return {
        "mode": mode,
        "escalated": escalated,
        "ask_email": nobody_coming and not session.get("email_known"),
        "team_open": team_open,
        "team_back_at": back_at.isoformat().replace("+00:00", "Z") if back_at else None,
    }
