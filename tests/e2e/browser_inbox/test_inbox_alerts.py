"""A thread that starts needing a human: a desktop notification (permission granted) and a
count in the tab title, cleared once the teammate opens it."""

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
    page.wait_for_function("window.__notifications.length > 0")
    shown = page.evaluate("window.__notifications")
    assert shown[0]["title"] == "Needs a human: Alan Turing"
    assert "Asked for a person" in shown[0]["body"]

    page.get_by_role("button", name="Needs human").click()
    expect(page.locator(".thread-row:not(.needs-human)")).to_have_count(0)
    row.click()
    expect(page).to_have_title(f"({before}) {base}" if before else base)
