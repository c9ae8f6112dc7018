"""The visitor typing in the widget shows in the teammate's open thread, live, and goes away
when they stop or go quiet."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser_inbox.conftest import ORIGIN, Stack, log_in
from tests.support.widget import Visitor

pytestmark = pytest.mark.e2e
# The page lets "typing" lapse 6 s after the last renewal (the widget renews every 3 s).
LAPSE_MS = 6_000


def test_the_open_thread_shows_the_visitor_typing(page: Page, stack: Stack) -> None:
    visitor = Visitor.open(stack.gateway, ORIGIN, stack.bot_key, name="Ada Lovelace")
    visitor.send("How do I export my deals?")
    log_in(page, stack, stack.owner_email)
    page.locator(f'.thread-row[data-thread-id="{visitor.thread_id}"]').click()
    expect(page.locator(".msg-visitor").first).to_be_visible()
    typing = page.locator("#visitor-typing")
    expect(typing).to_be_hidden()

    visitor.typing(True)
    expect(typing).to_be_visible()
    expect(typing).to_have_text("Visitor is typing…")
    visitor.typing(False)
    expect(typing).to_be_hidden()

    visitor.typing(True)  # then the tab closes: no "stopped" ever comes
    expect(typing).to_be_visible()
    expect(typing).to_be_hidden(timeout=LAPSE_MS + 4_000)
