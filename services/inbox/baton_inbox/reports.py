"""How the handoff performs over a period (pure): first teammate reply after an escalation
(business-hours clock), escalations by reason, how often the AI settles a conversation
alone, AI messages that talked over a teammate, response-target breaches, and a day-by-day
series in the account's time zone. Reading the threads lives in adapters/reports.py."""

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from baton_contracts.business_hours import BusinessHours
from baton_inbox.domain import was_delivered


@dataclass(frozen=True)
class ThreadFacts:
    created_at: datetime
    had_visitor: bool
    escalated_at: datetime | None
    escalation_reason: str | None
    staff_replied: bool
    breached: bool
    first_staff_reply_at: datetime | None  # the first after the escalation
    ai_after_teammate: int

    @property
    def ai_resolved(self) -> bool:
        """A conversation the AI settled alone: never escalated, no teammate's message."""
        return self.had_visitor and self.escalated_at is None and not self.staff_replied


def ai_after_teammate(messages: list[dict[str, Any]], resumed_at: list[int]) -> int:
    """AI messages delivered after a teammate's message with no hand-back between (the
    handoff invariant, counted from what the inbox stored; must be 0). `messages` in log
    order."""
    count, last_staff = 0, None
    for message in messages:
        position = int(message["position"])
        author = message.get("author")
        if author == "staff":
            last_staff = position
            continue
        delivered_ai = author == "ai" and was_delivered(message, last_staff)
        if delivered_ai and last_staff is not None:
            count += not any(last_staff < r < position for r in resumed_at)
    return count


def first_reply_after(messages: list[dict[str, Any]], escalated_at: datetime) -> datetime | None:
    for message in messages:
        if message.get("author") == "staff" and message["created_at"] >= escalated_at:
            return message["created_at"]  # type: ignore[no-any-return]
    return None


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summarize(
    facts: list[ThreadFacts], hours: BusinessHours, first_day: date, last_day: date
) -> dict[str, Any]:
    """`first_day`..`last_day` (the account's dates, inclusive) give the series its days,
    quiet ones included."""
    waits = [
        hours.open_seconds(f.escalated_at, f.first_staff_reply_at)
        for f in facts
        if f.escalated_at is not None and f.first_staff_reply_at is not None
    ]
    conversations = [f for f in facts if f.had_visitor]
    escalated = [f for f in facts if f.escalated_at is not None]
    reasons = Counter(f.escalation_reason or "unknown" for f in escalated)
    days: dict[date, Counter[str]] = {
        date.fromordinal(n): Counter()
        for n in range(first_day.toordinal(), last_day.toordinal() + 1)
    }
    for f in facts:
        day = days.setdefault(f.created_at.astimezone(hours.zone).date(), Counter())
        day["threads"] += 1
        day["escalations"] += f.escalated_at is not None
        day["ai_resolved"] += f.ai_resolved
    resolved = sum(f.ai_resolved for f in conversations)
    p50, p90 = percentile(waits, 0.5), percentile(waits, 0.9)
    return {
        "threads": len(facts),
        "conversations": len(conversations),
        "escalations": len(escalated),
        "escalations_by_reason": dict(sorted(reasons.items())),
        "first_human_replies": len(waits),
        "first_human_reply_p50_s": round(p50, 1) if p50 is not None else None,
        "first_human_reply_p90_s": round(p90, 1) if p90 is not None else None,
        "ai_resolution_rate": round(resolved / len(conversations), 4) if conversations else None,
        "ai_after_teammate": sum(f.ai_after_teammate for f in facts),
        "target_breaches": sum(f.breached for f in escalated),
        "days": [
            {
                "date": day.isoformat(),
                "threads": counts["threads"],
                "escalations": counts["escalations"],
                "ai_resolved": counts["ai_resolved"],
            }
            for day, counts in sorted(days.items())
        ],
    }
