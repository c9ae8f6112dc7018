"""An account's business hours as other services read them from the inbox's settings
document (`inbox_account_settings`, written by the inbox only, which validates every field):
the gateway tells the widget whether the team is in, the agent words its offline notice.

Lenient, like `bot_document`: a document missing, hand-edited or from an older release reads
as always open in UTC (what an account that never set hours gets), never as an error."""

from collections.abc import Mapping
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import structlog

from baton_contracts.business_hours import WEEKDAYS, BusinessHours, Interval, clock_time

log = structlog.get_logger()

ACCOUNT_SETTINGS_COLLECTION = "inbox_account_settings"
ALWAYS_OPEN = BusinessHours(ZoneInfo("UTC"))


def hours_from_document(doc: Mapping[str, Any] | None) -> BusinessHours:
    if doc is None:
        return ALWAYS_OPEN
    settings = doc.get("settings") or {}
    try:
        zone = ZoneInfo(str(settings.get("time_zone") or "UTC"))
        weekly_raw = settings.get("business_hours")
        weekly = None
        if weekly_raw is not None:
            if not isinstance(weekly_raw, Mapping):
                raise TypeError(f"business_hours is a {type(weekly_raw).__name__}")
            weekly = {
                day: [
                    Interval(clock_time(i["start"]), clock_time(i["end"]))
                    for i in weekly_raw.get(day, [])
                ]
                for day in WEEKDAYS
                if day in weekly_raw
            }
        holidays = frozenset(date.fromisoformat(str(d)) for d in settings.get("holidays") or [])
    except (ZoneInfoNotFoundError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("account_hours_malformed", account_id=doc.get("_id"), error=str(exc))
        return ALWAYS_OPEN
    return BusinessHours(zone, weekly, holidays)
