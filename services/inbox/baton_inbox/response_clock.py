"""The response target's clock for an escalated thread (pure): it starts at the escalation,
runs only within the account's business hours, and stops at a teammate's first reply (the
thread no longer needs a human). Two thresholds: a warning at 80% of the target, a breach
at 100%. Each is alerted once per escalation."""

from datetime import datetime
from enum import StrEnum

from baton_contracts.business_hours import BusinessHours

WARN_AT_SHARE = 0.8


class ResponseStage(StrEnum):
    WARNING = "warning"
    BREACHED = "breached"


# What a thread's stored stage may be for a claim of the next one to succeed: a breach can
# follow a warning or come first (a target shorter than the check interval, or hours closed
# in between), a warning only comes first.
STAGES_BEFORE: dict[ResponseStage, tuple[str | None, ...]] = {
    ResponseStage.WARNING: (None,),
    ResponseStage.BREACHED: (None, ResponseStage.WARNING.value),
}


def stage_at(
    hours: BusinessHours, escalated_at: datetime, target_seconds: int, now: datetime
) -> ResponseStage | None:
    waited = hours.open_seconds(escalated_at, now)
    if waited >= target_seconds:
        return ResponseStage.BREACHED
    if waited >= WARN_AT_SHARE * target_seconds:
        return ResponseStage.WARNING
    return None


def is_news(stage: ResponseStage, stored: str | None) -> bool:
    """Whether `stage` is a step past what the thread has been alerted for already."""
    return stored in STAGES_BEFORE[stage]
