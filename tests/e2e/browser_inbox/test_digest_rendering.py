"""The shift digest's HTML part as a mail client shows it, in Chromium: a seeded night of four
escalated threads (built by `digest_email`, a pure function: no service runs) lists each
visitor, why the thread escalated, whether it still waits and a link to it; a visitor's name
and message with markup in them are shown as text, and nothing in them runs.

`BATON_WRITE_SCREENSHOTS=1` also writes docs/screenshots/digest-email.png; otherwise it goes
to a temporary folder, as in test_inbox_screenshots.py.
"""

from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from baton_inbox.digest import DigestWindow, digest_email
from tests.e2e.browser_inbox.screenshots import screenshot_folder

pytestmark = pytest.mark.e2e

INBOX = "https://inbox.orbit.example"
BERLIN = ZoneInfo("Europe/Berlin")
# Monday 18:00 to Tuesday 08:00, Berlin time (16:00 to 06:00 UTC in June).
WINDOW = DigestWindow(
    start=datetime(2026, 6, 1, 16, 0, tzinfo=UTC), end=datetime(2026, 6, 2, 6, 0, tzinfo=UTC)
)


def _thread(
    thread_id: str, at: datetime, visitor: dict[str, str], reason: str, waiting: bool, said: str
) -> dict[str, Any]:
    return {
        "_id": thread_id,
        "escalated_at": at,
        "visitor": visitor,
        "escalation_reason": reason,
        "needs_human": waiting,
        "last_visitor_text": said,
    }


NIGHT = [
    _thread(
        "6a1f0c2e9b7d4e21a0c3",
        datetime(2026, 6, 1, 17, 12, tzinfo=UTC),
        {"name": "Grace Hopper", "email": "grace@cobol.example"},
        "sensitive_topic",
        True,
        "I was charged twice this month. Can I get a refund for the second payment?",
    ),
    _thread(
        "6a1f0c2e9b7d4e21a0c4",
        datetime(2026, 6, 1, 20, 47, tzinfo=UTC),
        {"name": "Linus <b>Torvalds</b>"},
        "asked_for_human",
        False,
        "Can I talk to a real person please? <script>window.__digestRan = true</script>",
    ),
    _thread(
        "6a1f0c2e9b7d4e21a0c5",
        datetime(2026, 6, 1, 23, 5, tzinfo=UTC),
        {"email": "margaret@apollo.example"},
        "out_of_docs",
        True,
        "Do you have an on-premise version for government agencies?",
    ),
    _thread(
        "6a1f0c2e9b7d4e21a0c6",
        datetime(2026, 6, 2, 4, 30, tzinfo=UTC),
        {"name": "Alan Turing"},
        "unresolved",
        True,
        "That did not help: the Outlook sync still stops after a few minutes.\nAny idea?",
    ),
]
# What each row must say: when (Berlin), who, why, now.
EXPECTED = [
    ("Mon 19:12", "Grace Hopper", "sensitive topic", "still waiting"),
    ("Mon 22:47", "Linus <b>Torvalds</b>", "asked for a person", "answered by a teammate"),
    ("Tue 01:05", "margaret@apollo.example", "not in the docs", "still waiting"),
    ("Tue 06:30", "Alan Turing", "AI answers did not help", "still waiting"),
]


def _digest() -> EmailMessage:
    return digest_email(
        to="alex@orbit.example",
        account_name="Orbit CRM",
        window=WINDOW,
        escalated=NIGHT,
        inbox_url=INBOX,
        zone=BERLIN,
    )


def test_the_digest_email_reads_well_in_a_browser(page: Page, tmp_path: Path) -> None:
    message = _digest()
    assert message["Subject"] == "Orbit CRM: 4 escalated overnight, 3 still waiting"
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None and html_part.get_content_type() == "text/html"
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 1000, "height": 600})
    page.set_content(html_part.get_content())

    expect(page.get_by_role("heading")).to_have_text("Orbit CRM: 4 escalated, 3 still waiting")
    expect(page.locator("p").first).to_have_text(
        "Threads that needed a teammate between Mon 18:00 to Tue 08:00 (Europe/Berlin)."
    )
    rows = page.locator("table tr")
    expect(rows).to_have_count(1 + len(NIGHT))
    expect(rows.first.locator("th")).to_have_text(
        ["When", "Visitor", "Why", "Now", "Last message", ""]
    )
    for index, (thread, (at, who, why, now)) in enumerate(zip(NIGHT, EXPECTED, strict=True)):
        cells = rows.nth(index + 1).locator("td")
        expect(cells).to_have_count(6)
        expect(cells.nth(0)).to_have_text(at)
        expect(cells.nth(1)).to_have_text(who)
        expect(cells.nth(2)).to_have_text(why)
        expect(cells.nth(3)).to_have_text(now)
        said = str(thread["last_visitor_text"]).replace("\n", " ")
        expect(cells.nth(4)).to_have_text(said)
        link = cells.nth(5).get_by_role("link", name="Open")
        expect(link).to_have_attribute("href", f"{INBOX}/#thread={thread['_id']}")

    # Markup in a visitor's name or message is text: no <b>, no script, nothing ran.
    expect(page.locator("td b")).to_have_count(0)
    expect(page.locator("script")).to_have_count(0)
    assert page.evaluate("window.__digestRan") is None
    expect(page.get_by_role("link", name="Open the inbox")).to_have_attribute("href", INBOX)
    assert not errors, errors

    # The plain-text part says the same.
    text = message.get_body(preferencelist=("plain",))
    assert text is not None
    plain = text.get_content()
    for at, who, why, now in EXPECTED:
        assert f"{at}  {who} ({why}, {now})" in plain

    out = screenshot_folder(tmp_path)
    # As tall as the message: the window would add blank space below it.
    height = page.evaluate("Math.ceil(document.body.getBoundingClientRect().bottom)")
    page.set_viewport_size({"width": 1000, "height": int(height) + 16})
    page.screenshot(path=str(out / "digest-email.png"))
    assert (out / "digest-email.png").stat().st_size > 10_000
