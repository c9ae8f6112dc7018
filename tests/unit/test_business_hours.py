"""Business hours in the account's zone: open or not, the next opening, and the seconds of a
span that count toward a response target, over a weekend, a holiday and both DST changes.
Instants are given, never read from a clock."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from baton_contracts.business_hours import BusinessHours, Interval

BERLIN = ZoneInfo("Europe/Berlin")
NINE_TO_FIVE = [Interval(time(9), time(17))]
WEEKDAYS_ONLY = {day: NINE_TO_FIVE for day in ("mon", "tue", "wed", "thu", "fri")}
HOURS = BusinessHours(BERLIN, WEEKDAYS_ONLY)


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def test_open_within_the_interval_in_the_accounts_zone_not_in_utc() -> None:
    # Friday 2026-12-04: 09:00 Berlin is 08:00 UTC.
    assert HOURS.is_open(berlin(2026, 12, 4, 9, 0))
    assert not HOURS.is_open(datetime(2026, 12, 4, 7, 59, tzinfo=UTC))
    assert not HOURS.is_open(berlin(2026, 12, 4, 17, 0))  # the end is not inside


def test_the_weekend_is_skipped_for_the_next_opening() -> None:
    friday_evening = berlin(2026, 12, 4, 18, 0)
    assert HOURS.next_opening(friday_evening) == berlin(2026, 12, 7, 9, 0)
    assert HOURS.next_opening(berlin(2026, 12, 7, 10, 0)) == berlin(2026, 12, 7, 10, 0)


def test_a_holiday_is_closed_all_day() -> None:
    hours = BusinessHours(BERLIN, WEEKDAYS_ONLY, frozenset({date(2026, 12, 25)}))
    assert not hours.is_open(berlin(2026, 12, 25, 10, 0))
    assert hours.next_opening(berlin(2026, 12, 24, 18, 0)) == berlin(2026, 12, 28, 9, 0)


def test_the_clock_stops_outside_hours() -> None:
    # Escalated Friday 16:00, answered Monday 10:00: 1 h on Friday + 1 h on Monday.
    start, end = berlin(2026, 12, 4, 16, 0), berlin(2026, 12, 7, 10, 0)
    assert HOURS.open_seconds(start, end) == 2 * 3600
    assert HOURS.when_due(start, 2 * 3600) == end
    assert HOURS.when_due(start, 180) == berlin(2026, 12, 4, 16, 3)


def test_dst_days_count_real_seconds() -> None:
    # 2027-03-28 (Sunday) and 2026-10-25 (Sunday) are Berlin's DST changes; open them all day.
    every_day = {day: [Interval(time(0), time(23, 59))] for day in ("sat", "sun", "mon")}
    hours = BusinessHours(BERLIN, every_day)
    spring = hours.open_seconds(berlin(2027, 3, 28, 0, 0), berlin(2027, 3, 28, 23, 59))
    autumn = hours.open_seconds(berlin(2026, 10, 25, 0, 0), berlin(2026, 10, 25, 23, 59))
    ordinary = hours.open_seconds(berlin(2027, 3, 27, 0, 0), berlin(2027, 3, 27, 23, 59))
    assert ordinary == (23 * 60 + 59) * 60
    assert spring == ordinary - 3600  # the clocks skip 02:00-03:00
    assert autumn == ordinary + 3600  # 02:00-03:00 happens twice


def test_nine_to_five_stays_nine_to_five_after_the_change() -> None:
    monday_after = berlin(2027, 3, 29, 9, 0)  # CEST now: 07:00 UTC, not 08:00
    assert HOURS.is_open(monday_after)
    assert monday_after.astimezone(UTC).hour == 7
    assert not HOURS.is_open(monday_after - timedelta(minutes=1))


def test_no_hours_means_always_open_and_all_holidays_means_never() -> None:
    always = BusinessHours(BERLIN)
    at = berlin(2026, 12, 6, 3, 0)
    assert always.is_open(at) and always.next_opening(at) == at
    assert always.open_seconds(at, at + timedelta(hours=2)) == 7200
    only_christmas = BusinessHours(BERLIN, {"fri": NINE_TO_FIVE}, frozenset({date(2026, 12, 25)}))
    assert only_christmas.next_opening(berlin(2026, 12, 24, 18, 0)) == berlin(2027, 1, 1, 9, 0)
    empty_week = BusinessHours(BERLIN, {})
    assert empty_week.next_opening(at) is None and empty_week.when_due(at, 60) is None
