"""A thread that starts needing a human: a desktop notification (permission granted) and a
count in the tab title, cleared once the teammate opens it."""

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.browser_inbox.conftest import ORIGIN, Stack, log_in
from tests.support.widget import Visitor

pytestmark = pytest.mark.e2e

# Records every notification the page shows, then shows it as the browser would.
RECORD_NOTIFICATIONS = """
window.__notifications = [];
const RealNotification = window.Notification;
window.Notification = class extends RealNotification {
  constructor(title, options) { super(title, options); window.__notifications.push({title, body: options && options.body}); }
};
"""


def test_needs_human_notifies_and_counts_in_the_title(
    context: BrowserContext, page: Page, stack: Stack
) -> None:
    context.grant_permissions(["notifications"], origin=stack.inbox)
    context.add_init_script(RECORD_NOTIFICATIONS)
    log_in(page, stack, stack.owner_email)
    expect(page.get_by_role("button", name="Turn on notifications")).to_be_hidden()
    title = page.title()
    before = int(title[1 : title.index(")")]) if title.startswith("(") else 0
    base = title.split(") ", 1)[-1]

    visitor = Visitor.open(stack.gateway, ORIGIN, stack.bot_key, name="Alan Turing")
    visitor.send("I need to talk to a real person about my invoice, please.")
    row = page.locator(f'.thread-row[data-thread-id="{visitor.thread_id}"]')
    expect(row.locator(".badge-needs")).to_have_text("Asked for a person")
    expect(page).to_have_title(f"({before + 1}) {base}")
    # Only this thread's: an older escalation's response-target alert may show meanwhile.
    page.wait_for_function(
        "() => window.__notifications.some(n => n.title === 'Needs a human: Alan Turing')"
    )
    shown = [n for n in page.evaluate("window.__notifications") if "Alan Turing" in n["title"]]
    assert shown[0]["title"] == "Needs a human: Alan Turing"
    assert "Asked for a person" in shown[0]["body"]

    page.get_by_role("button", name="Needs human").click()
    expect(page.locator(".thread-row:not(.needs-human)")).to_have_count(0)
    row.click()
    expect(page).to_have_title(f"({before}) {base}" if before else base)


def test_the_response_target_shows_on_the_row_and_notifies_when_close_and_missed(
    context: BrowserContext, page: Page, stack: Stack
) -> None:
    """A 30-second target (the least allowed) run out in real time; the inbox checks every
    second in this stack."""
    settings_url = f"{stack.inbox}/v1/account/settings"
    owner = {"Authorization": f"Bearer {stack.owner_token}"}
    saved = httpx.put(settings_url, json={"response_target_seconds": 30}, headers=owner)
    assert saved.status_code == 200, saved.text
    try:
        context.grant_permissions(["notifications"], origin=stack.inbox)
        context.add_init_script(RECORD_NOTIFICATIONS)
        log_in(page, stack, stack.owner_email)
        visitor = Visitor.open(stack.gateway, ORIGIN, stack.bot_key, name="Grace Hopper")
        visitor.send("Please get me a human, I was charged twice.")
        row = page.locator(f'.thread-row[data-thread-id="{visitor.thread_id}"]')
        expect(row.locator(".badge-due")).to_contain_text("Reply due in", timeout=15_000)
        expect(row.locator(".badge-due.soon")).to_be_visible(timeout=30_000)
        expect(row.locator(".badge-due.missed")).to_have_text("Reply target missed", timeout=30_000)
        page.wait_for_function(
            "() => window.__notifications.some(n => n.title === 'Reply target missed: Grace Hopper')"
        )
        titles = [n["title"] for n in page.evaluate("window.__notifications")]
        assert "Reply target close: Grace Hopper" in titles
    finally:
        httpx.put(settings_url, json={}, headers=owner)
