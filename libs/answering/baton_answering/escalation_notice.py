"""What the AI adds when it escalates and nobody can pick the thread up right away."""

from dataclasses import replace
from datetime import datetime

from baton_answering.answer import HANDOVER_TEXTS, Answer
from baton_events import EscalationReason

CLARIFY_TEXT = (
    "Sorry that didn't help. Could you tell me a bit more: what are you trying to do, and "
    "what do you see instead?"
)
UNRESOLVED_TEXT = (
    "I'm sorry my answers haven't solved this. I'm bringing in a teammate who can look at "
    "it with you."
)


# The same hand-overs for when nobody is online: "bringing in a teammate now" followed by
# "our team isn't online" told the visitor two things at once.
OFFLINE_HANDOVER_TEXTS = {
    EscalationReason.ASKED_FOR_HUMAN: "Of course. I've passed this to our team; they'll reply "
    "here in this chat.",
    EscalationReason.SENSITIVE_TOPIC: "A teammate needs to handle this one personally, so I've "
    "passed it to our team. They'll reply here in this chat.",
    EscalationReason.OUT_OF_DOCS: "I couldn't find this in our help docs, so I don't want to "
    "guess. I've passed your question to our team.",
    EscalationReason.UNRESOLVED: "I'm sorry my answers haven't solved this. I've passed it to "
    "our team so someone can look at it with you.",
}
_ONLINE_HANDOVER_TEXTS = {**HANDOVER_TEXTS, EscalationReason.UNRESOLVED: UNRESOLVED_TEXT}


def offline_notice(reply_expectation: str, *, email_known: bool) -> str:
    notice = f"Our team isn't online right now; we usually reply within {reply_expectation}."
    if not email_known:
        notice += " Leave your e-mail address here so we can follow up."
    return notice


def away_notice(back_at: datetime | None, *, email_known: bool) -> str:
    """Outside the account's business hours. `back_at` in the account's zone: the visitor's
    own time is the widget's to show (its banner does), so the zone is named here."""
    if back_at is None:
        notice = "Our team is away right now; we'll reply as soon as we're back."
    else:
        zone = getattr(back_at.tzinfo, "key", None) or back_at.tzname() or "UTC"
        notice = f"Our team is away right now and back {back_at:%A %H:%M} ({zone} time)."
    if not email_known:
        notice += " Leave your e-mail address here so we can follow up."
    return notice


def with_offline_notice(answer: Answer, notice: str) -> Answer:
    """The answer with the notice after it; a standard hand-over ("bringing in a teammate
    now") becomes its offline wording first, since no teammate is coming now."""
    text = answer.text
    if answer.reason is not None and text == _ONLINE_HANDOVER_TEXTS.get(answer.reason):
        text = OFFLINE_HANDOVER_TEXTS[answer.reason]
    return replace(answer, text=f"{text}\n\n{notice}")
