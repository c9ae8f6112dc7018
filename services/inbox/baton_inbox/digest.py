"""The shift digest: one e-mail per recipient listing the threads that escalated since the
previous digest, in the account's own time zone.

Pure: which window a digest covers, and what it says. Sending and bookkeeping live in
digest_job.py.
"""

import html
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

from baton_contracts.business_hours import BusinessHours

REASON_LABELS = {
    "asked_for_human": "asked for a person",
    "sensitive_topic": "sensitive topic",
    "out_of_docs": "not in the docs",
    "unresolved": "AI answers did not help",
}


@dataclass(frozen=True)
class DigestWindow:
    start: datetime
    end: datetime

    @property
    def key(self) -> str:
        return self.end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def latest_window(now: datetime, send_at: time, window_hours: float) -> DigestWindow:
    """The most recent digest time at or before `now`, and the hours before it."""
    end = now.replace(hour=send_at.hour, minute=send_at.minute, second=0, microsecond=0)
    if end > now:
        end -= timedelta(days=1)
    return DigestWindow(start=end - timedelta(hours=window_hours), end=end)


def account_window(
    hours: BusinessHours, now: datetime, hour_without_hours: int, window_hours: float
) -> DigestWindow | None:
    """The digest an account is due at `now`. With business hours it goes out when the team's
    day begins and covers the time since the previous business day began (Monday's covers
    the weekend). Without, at `hour_without_hours` o'clock in the account's zone, covering the
    `window_hours` before. None: no business day in the last two weeks."""
    if hours.always_open:
        local = now.astimezone(hours.zone)
        return latest_window(local, time(hour_without_hours), window_hours)
    openings = hours.day_openings(now, 2)
    if not openings:
        return None
    end = openings[0]
    start = openings[1] if len(openings) > 1 else end - timedelta(hours=window_hours)
    return DigestWindow(start=start, end=end)


@dataclass(frozen=True)
class DigestLine:
    at: str
    who: str
    reason: str
    state: str
    said: str
    link: str

    @classmethod
    def of(cls, thread: dict[str, Any], inbox_url: str, zone: ZoneInfo) -> "DigestLine":
        visitor = thread.get("visitor") or {}
        return cls(
            at=thread["escalated_at"].astimezone(zone).strftime("%a %H:%M"),
            who=visitor.get("name") or visitor.get("email") or f"Visitor {str(thread['_id'])[:8]}",
            reason=REASON_LABELS.get(str(thread.get("escalation_reason")), "escalated"),
            state="still waiting" if thread.get("needs_human") else "answered by a teammate",
            said=(thread.get("last_visitor_text") or "").replace("\n", " ")[:140],
            link=f"{inbox_url.rstrip('/')}/#thread={thread['_id']}",
        )

    def text(self) -> str:
        return (
            f'- {self.at}  {self.who} ({self.reason}, {self.state})\n  "{self.said}"\n  {self.link}'
        )

    def html_row(self) -> str:
        cells = (self.at, self.who, self.reason, self.state, self.said)
        escaped = "".join(f"<td>{html.escape(cell)}</td>" for cell in cells)
        return f'<tr>{escaped}<td><a href="{html.escape(self.link)}">Open</a></td></tr>'


def digest_email(
    *,
    to: str,
    account_name: str,
    window: DigestWindow,
    escalated: list[dict[str, Any]],
    inbox_url: str,
    zone: ZoneInfo | None = None,
) -> EmailMessage:
    """Plain text and HTML alternatives; times in the account's zone (UTC unless set)."""
    zone = zone or ZoneInfo("UTC")
    waiting = sum(1 for thread in escalated if thread.get("needs_human"))
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = (
        f"{account_name}: {len(escalated)} escalated overnight, {waiting} still waiting"
    )
    start, end = window.start.astimezone(zone), window.end.astimezone(zone)
    period = f"{start:%a %H:%M} to {end:%a %H:%M} ({zone.key})"
    lines = [DigestLine.of(thread, inbox_url, zone) for thread in escalated]
    message.set_content(
        f"Threads that needed a teammate between {period}:\n\n"
        + "\n\n".join(line.text() for line in lines)
        + f"\n\nOpen the inbox: {inbox_url}\n"
    )
    rows = "\n".join(line.html_row() for line in lines)
    message.add_alternative(
        f"""<!doctype html><html><body style="font-family:sans-serif">
<h2>{html.escape(account_name)}: {len(escalated)} escalated, {waiting} still waiting</h2>
<p>Threads that needed a teammate between {html.escape(period)}.</p>
<table cellpadding="6" style="border-collapse:collapse">
<tr><th>When</th><th>Visitor</th><th>Why</th><th>Now</th><th>Last message</th><th></th></tr>
{rows}
</table>
<p><a href="{html.escape(inbox_url)}">Open the inbox</a></p>
</body></html>""",
        subtype="html",
    )
    return message
