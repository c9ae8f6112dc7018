"""The hand-over a visitor reads when nobody is online: one message that says the team has it
and when they usually reply, never "bringing in a teammate now" beside "nobody is online"."""

import pytest

from baton_answering.answer import HANDOVER_TEXTS, Answer
from baton_answering.escalation_notice import (
    UNRESOLVED_TEXT,
    offline_notice,
    with_offline_notice,
)
from baton_events import EscalationReason

NOTICE = offline_notice("a few hours", email_known=False)


@pytest.mark.parametrize("reason", list(EscalationReason))
def test_no_standard_hand_over_promises_a_teammate_now_when_nobody_is_online(
    reason: EscalationReason,
) -> None:
    online = UNRESOLVED_TEXT if reason is EscalationReason.UNRESOLVED else HANDOVER_TEXTS[reason]
    answer = Answer(online, (), None, True, reason)
    text = with_offline_notice(answer, NOTICE).text
    hand_over = text.split("\n\n")[0]
    assert "bringing" not in hand_over and "now" not in hand_over
    assert "passed" in hand_over and text.endswith(NOTICE)


def test_any_other_text_keeps_its_words_and_gets_the_notice_after() -> None:
    answer = Answer(
        "Refunds take 5 days (see Billing).", (), 0.7, True, EscalationReason.SENSITIVE_TOPIC
    )
    assert with_offline_notice(answer, NOTICE).text == f"{answer.text}\n\n{NOTICE}"


def test_the_notice_asks_for_an_email_only_when_none_is_known() -> None:
    assert "e-mail" in offline_notice("a day", email_known=False)
    assert "e-mail" not in offline_notice("a day", email_known=True)


def test_outside_business_hours_the_notice_says_when_the_team_is_back() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from baton_answering.escalation_notice import away_notice

    monday = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    text = away_notice(monday, email_known=False)
    assert text.startswith("Our team is away right now and back Monday 09:00 (Europe/Berlin time).")
    assert "e-mail" in text
    assert "back" in away_notice(None, email_known=True) and "e-mail" not in away_notice(
        None, email_known=True
    )
