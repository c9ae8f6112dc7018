"""The shift digest: one e-mail per teammate listing the threads that escalated overnight.

Pure: which window a digest covers, and what it says. Sending and bookkeeping live in
digest_job.py.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from email.message import EmailMessage
from typing import Any

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
        return self.end.strftime("%Y-%m-%dT%H:%M")


def latest_window(now: datetime, send_at: time, window_hours: float) -> DigestWindow:
    """The most recent digest time at or before `now`, and the hours before it."""
    end = now.replace(hour=send_at.hour, minute=send_at.minute, second=0, microsecond=0)
    if end > now:
        end -= timedelta(days=1)
    return DigestWindow(start=end - timedelta(hours=window_hours), end=end)


def _line(thread: dict[str, Any], inbox_url: str) -> str:
    visitor = thread.get("visitor") or {}
    who = visitor.get("name") or visitor.get("email") or f"Visitor {str(thread['_id'])[:8]}"
    reason = REASON_LABELS.get(str(thread.get("escalation_reason")), "escalated")
    said = (thread.get("last_visitor_text") or "").replace("\n", " ")[:140]
    state = "still waiting" if thread.get("needs_human") else "answered by a teammate"
    at = thread["escalated_at"].strftime("%H:%M UTC")
    return (
        f"- {at}  {who} ({reason}, {state})\n"
        f'  "{said}"\n'
        f"  {inbox_url.rstrip('/')}/#thread={thread['_id']}"
    )


def digest_email(
    *,
    to: str,
    account_name: str,
    window: DigestWindow,
    escalated: list[dict[str, Any]],
    inbox_url: str,
) -> EmailMessage:
    waiting = sum(1 for thread in escalated if thread.get("needs_human"))
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = (
        f"{account_name}: {len(escalated)} escalated overnight, {waiting} still waiting"
    )
    period = f"{window.start:%a %H:%M} to {window.end:%a %H:%M} UTC"
    lines = [_line(thread, inbox_url) for thread in escalated]
    message.set_content(
        f"Threads that needed a teammate between {period}:\n\n"
        + "\n\n".join(lines)
        + f"\n\nOpen the inbox: {inbox_url}\n"
    )
    return message
