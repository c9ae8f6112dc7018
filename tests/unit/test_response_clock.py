"""The response target's clock: thresholds at 80% and 100% of the target in business time,
and which stored stage a new alert may follow. Instants are given, never read."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from baton_contracts.business_hours import BusinessHours, Interval
from baton_inbox.response_clock import ResponseStage, is_news, stage_at

ALWAYS = BusinessHours(ZoneInfo("UTC"))
WEEKDAYS = BusinessHours(
    ZoneInfo("America/New_York"),
    {d: [Interval(time(9), time(17))] for d in ("mon", "tue", "wed", "thu", "fri")},
)
ESCALATED = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def test_warning_at_eighty_percent_and_breach_at_the_target() -> None:
    assert stage_at(ALWAYS, ESCALATED, 300, ESCALATED + timedelta(seconds=239)) is None
    assert (
        stage_at(ALWAYS, ESCALATED, 300, ESCALATED + timedelta(seconds=240))
        is ResponseStage.WARNING
    )
    assert (
        stage_at(ALWAYS, ESCALATED, 300, ESCALATED + timedelta(seconds=300))
        is ResponseStage.BREACHED
    )


def test_the_clock_does_not_run_over_the_weekend() -> None:
    # Friday 16:58 in New York, two minutes before closing; a 5-minute target.
    friday = datetime(2026, 12, 4, 16, 58, tzinfo=ZoneInfo("America/New_York"))
    sunday = friday + timedelta(days=2)
    assert stage_at(WEEKDAYS, friday, 300, sunday) is None
    monday_9_03 = datetime(2026, 12, 7, 9, 3, tzinfo=ZoneInfo("America/New_York"))
    assert stage_at(WEEKDAYS, friday, 300, monday_9_03) is ResponseStage.BREACHED
    assert WEEKDAYS.when_due(friday, 300) == monday_9_03


def test_each_threshold_is_news_once() -> None:
    assert is_news(ResponseStage.WARNING, None)
    assert not is_news(ResponseStage.WARNING, "warning")
    assert not is_news(ResponseStage.WARNING, "breached")
    assert is_news(ResponseStage.BREACHED, None) and is_news(ResponseStage.BREACHED, "warning")
    assert not is_news(ResponseStage.BREACHED, "breached")
