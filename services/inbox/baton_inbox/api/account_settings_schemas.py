"""An account's settings on the staff API: its time zone, business hours and holidays, the
response target of an escalation, and who gets the digest and the alerts.

Every check names its field in the 422 (`business_hours.mon.1`, `time_zone`), so the settings
page can put the message next to the box that caused it."""

from datetime import date, datetime
from itertools import pairwise
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from baton_contracts.business_hours import WEEKDAYS, BusinessHours, Interval, clock_time
from baton_inbox.api.schemas import Email
from baton_runtime.request_body import RequestBody as Strict

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ClockTime = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
# 24:00 closes at midnight; a shift past midnight is two intervals on two days.
ClosingTime = Annotated[str, StringConstraints(pattern=r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$")]
DEFAULT_TIME_ZONE = "UTC"
DEFAULT_RESPONSE_TARGET_SECONDS = 180


class OpenInterval(Strict):
    start: ClockTime = Field(examples=["09:00"])
    end: ClosingTime = Field(examples=["17:00"])

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> "OpenInterval":
        if clock_time(self.end) <= clock_time(self.start):
            raise ValueError(f"{self.start}-{self.end} ends before it starts; split a night shift")
        return self

    def interval(self) -> Interval:
        return Interval(clock_time(self.start), clock_time(self.end))


class AccountSettings(Strict):
    time_zone: str = Field(
        default=DEFAULT_TIME_ZONE,
        max_length=64,
        description="IANA name (Europe/Berlin): business hours, the digest's hour and dates in "
        "e-mails are in it.",
    )
    business_hours: dict[Weekday, list[OpenInterval]] | None = Field(
        default=None,
        description="Open intervals per weekday in the account's time zone; a day left out is "
        "closed. Unset: always open.",
    )
    holidays: list[date] = Field(default_factory=list, max_length=366)
    response_target_seconds: int = Field(
        default=DEFAULT_RESPONSE_TARGET_SECONDS,
        ge=30,
        le=7 * 86400,
        description="Time to a teammate's first reply after an escalation, counted within "
        "business hours.",
    )
    digest_enabled: bool = True
    digest_recipients: list[Email] | None = Field(
        default=None, max_length=50, description="Unset: every teammate."
    )
    alert_recipients: list[Email] | None = Field(
        default=None, max_length=50, description="Unset: the owner and the admins."
    )

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {name!r}; use an IANA name such as Europe/Berlin"
            ) from exc
        return name

    @field_validator("business_hours")
    @classmethod
    def _no_overlaps(
        cls, weekly: dict[Weekday, list[OpenInterval]] | None
    ) -> dict[Weekday, list[OpenInterval]] | None:
        if weekly is None:
            return None
        if not any(weekly.values()):
            raise ValueError(
                "no open interval on any day: leave business_hours unset for always open"
            )
        for day, intervals in weekly.items():
            ordered = sorted(intervals, key=lambda i: clock_time(i.start))
            for earlier, later in pairwise(ordered):
                if clock_time(later.start) < clock_time(earlier.end):
                    raise ValueError(
                        f"{day}: {earlier.start}-{earlier.end} overlaps {later.start}-{later.end}"
                    )
            weekly[day] = ordered
        return {day: weekly[day] for day in WEEKDAYS if day in weekly}

    @field_validator("holidays")
    @classmethod
    def _sorted_once(cls, holidays: list[date]) -> list[date]:
        return sorted(set(holidays))

    def hours(self) -> BusinessHours:
        weekly: dict[str, list[Interval]] | None = None
        if self.business_hours is not None:
            weekly = {
                day: [i.interval() for i in intervals]
                for day, intervals in self.business_hours.items()
            }
        return BusinessHours(ZoneInfo(self.time_zone), weekly, frozenset(self.holidays))


class AccountSettingsPublic(AccountSettings):
    open_now: bool = Field(description="Whether the team is within business hours now.")
    next_opening: datetime | None = Field(
        description="Now when open; otherwise when the hours start again (None: not within a year)."
    )
    updated_at: datetime | None = None
    updated_by: str | None = Field(default=None, description="The teammate's name.")
