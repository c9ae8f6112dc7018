"""An account's business hours in its own time zone (pure): whether the team is open at an
instant, when it opens next, and how many seconds of a span fall within the hours (the clock
of a response target, which stops outside them).

Hours are wall-clock intervals per weekday in the account's IANA zone, so 09:00-17:00 stays
09:00-17:00 across a daylight-saving change: that day's interval is an hour shorter or longer
in real seconds, and the clock counts real seconds. No hours at all means always open: a new
account has set none, and its escalations must not wait for a clock that never runs.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Looking further ahead than a year for the next opening means the hours are all holidays.
_HORIZON_DAYS = 400


def clock_time(text: str) -> time:
    """`HH:MM` as stored in an account's settings; `24:00` is the end of the day."""
    if text == "24:00":
        return time.max
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class Interval:
    start: time
    end: time  # after start, same day: a night shift is two intervals on two days


@dataclass(frozen=True)
class BusinessHours:
    zone: ZoneInfo
    weekly: Mapping[str, Sequence[Interval]] | None = None  # None: always open
    holidays: frozenset[date] = field(default_factory=frozenset)

    @property
    def always_open(self) -> bool:
        return self.weekly is None

    def _open_spans(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """The day's intervals as UTC instants (real time, whatever the day's offset)."""
        if self.weekly is None or day in self.holidays:
            return
        for interval in self.weekly.get(WEEKDAYS[day.weekday()], ()):
            yield (
                datetime.combine(day, interval.start, self.zone).astimezone(UTC),
                datetime.combine(day, interval.end, self.zone).astimezone(UTC),
            )

    def _days(self, start: datetime, end: datetime) -> Iterator[date]:
        # One day either side: a local day's spans can begin before or end after its UTC day.
        day = start.astimezone(self.zone).date() - timedelta(days=1)
        last = end.astimezone(self.zone).date() + timedelta(days=1)
        while day <= last:
            yield day
            day += timedelta(days=1)

    def is_open(self, at: datetime) -> bool:
        if self.always_open:
            return True
        return any(
            opens <= at < closes
            for day in self._days(at, at)
            for opens, closes in self._open_spans(day)
        )

    def next_opening(self, at: datetime) -> datetime | None:
        """`at` itself when open; otherwise the next interval's start; None if there is none
        within a year (every working day a holiday)."""
        at = at.astimezone(UTC)
        if self.is_open(at):
            return at
        for day in self._days(at, at + timedelta(days=_HORIZON_DAYS)):
            for opens, _ in self._open_spans(day):
                if opens > at:
                    return opens
        return None

    def day_openings(self, at: datetime, count: int, back_days: int = 14) -> list[datetime]:
        """The latest `count` starts of a business day (each open day's first interval) at or
        before `at`, newest first: when the team's day begins, as a digest goes out."""
        at = at.astimezone(UTC)
        found: list[datetime] = []
        day = at.astimezone(self.zone).date()
        for _ in range(back_days + 1):
            spans = sorted(self._open_spans(day))
            if spans and spans[0][0] <= at:
                found.append(spans[0][0])
                if len(found) == count:
                    break
            day -= timedelta(days=1)
        return found

    def open_seconds(self, start: datetime, end: datetime) -> float:
        """Seconds of [start, end) within business hours."""
        # In UTC: Python subtracts two datetimes of one zone by wall clock, which is off by
        # the DST change between them.
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        if end <= start:
            return 0.0
        if self.always_open:
            return (end - start).total_seconds()
        total = 0.0
        for day in self._days(start, end):
            for opens, closes in self._open_spans(day):
                overlap = (min(end, closes) - max(start, opens)).total_seconds()
                total += max(0.0, overlap)
        return total

    def when_due(self, start: datetime, seconds: float) -> datetime | None:
        """The instant at which `seconds` of business time have passed since `start` (a
        response target's deadline); None if the hours never add up to it within a year."""
        start = start.astimezone(UTC)
        if self.always_open:
            return start + timedelta(seconds=seconds)
        left = seconds
        for day in self._days(start, start + timedelta(days=_HORIZON_DAYS)):
            for opens, closes in self._open_spans(day):
                begin = max(opens, start)
                if closes <= begin:
                    continue
                span = (closes - begin).total_seconds()
                if span >= left:
                    return begin + timedelta(seconds=left)
                left -= span
        return None
