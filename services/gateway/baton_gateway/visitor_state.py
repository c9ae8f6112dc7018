"""Pure rules for the thread facts a widget shows besides messages: who answers now, and
whether the visitor should be asked for an e-mail so the team can follow up."""

from typing import Any

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


def public_state(session: dict[str, Any], *, team_online: bool) -> dict[str, Any]:
    """What the widget receives as `event: state`. The e-mail is asked for only when nobody
    can pick the escalated thread up now and there is no address to follow up on."""
    mode = str(session.get("mode", ThreadMode.AI.value))
    escalated = bool(session.get("escalated"))
    nobody_coming = escalated and mode == ThreadMode.AI.value and not team_online
    return {
        "mode": mode,
        "escalated": escalated,
        "ask_email": nobody_coming and not session.get("email_known"),
    }
