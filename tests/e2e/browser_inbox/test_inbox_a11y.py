"""axe-core in the page: no serious or critical accessibility violation on the login page, the
thread list, an open thread, the Bots page, the Team page, the Account settings page and the
Reports page (its chart drawn). The counts of every run are written to
.baton/logs/tests/a11y.json (docs/inbox.md quotes them)."""

import json

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser_inbox.a11y import serious_violations
from tests.e2e.browser_inbox.conftest import ORIGIN, Stack, log_in
from tests.support.isolated import ROOT
from tests.support.widget import Visitor

pytestmark = pytest.mark.e2e


def test_no_serious_violations_on_the_inbox_pages(page: Page, stack: Stack) -> None:
    visitor = Visitor.open(stack.gateway, ORIGIN, stack.bot_key, name="Axe visitor")
    assert visitor.send("How do I import my contacts?").status_code == 202
    found: dict[str, list[str]] = {}

    page.goto(f"{stack.inbox}/login")
    expect(page.get_by_label("E-mail")).to_be_visible()
    found["login"] = serious_violations(page)

    log_in(page, stack, stack.owner_email)
    row = page.locator(f'.thread-row[data-thread-id="{visitor.thread_id}"]')
    expect(row).to_be_visible()
    found["list"] = serious_violations(page)

    row.click()
    expect(page.locator(".msg-ai").first).to_be_visible()
    found["thread"] = serious_violations(page)

    page.goto(f"{stack.inbox}/bots")
    page.locator("#bots button").first.click()
    expect(page.locator("#bot")).to_be_visible()
    found["bots"] = serious_violations(page)

    page.goto(f"{stack.inbox}/team")
    expect(page.locator("#staff tr").first).to_be_visible()
    found["team"] = serious_violations(page)

    # The weekly table with an interval in it (nothing is saved).
    page.goto(f"{stack.inbox}/settings")
    page.get_by_label("Open on set hours").check()
    page.get_by_role("button", name="Add hours on Monday").click()
    expect(page.get_by_label("Monday, interval 1, opens")).to_be_visible()
    found["settings"] = serious_violations(page)

    page.goto(f"{stack.inbox}/reports")
    expect(page.locator("#chart svg g.day")).to_have_count(7)
    found["reports"] = serious_violations(page)

    report = ROOT / ".baton" / "logs" / "tests" / "a11y-inbox.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps({view: len(v) for view, v in found.items()}, indent=2))
    assert not any(found.values()), found
