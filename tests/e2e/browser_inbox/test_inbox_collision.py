"""Two teammates in two browsers: each sees the other viewing and typing, and a reply that
would collide asks first."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser_inbox.conftest import ORIGIN, Stack, Teammate, log_in, new_context
from tests.support.widget import Visitor

pytestmark = pytest.mark.e2e


def open_thread(page: Page, thread_id: str) -> None:
    page.locator(f'.thread-row[data-thread-id="{thread_id}"]').click()
    expect(page.locator(".msg-visitor").first).to_be_visible()


def test_teammates_see_each_other_and_collisions_are_confirmed(
    browser: Browser, stack: Stack, teammate: Teammate
) -> None:
    visitor = Visitor.open(stack.gateway, ORIGIN, stack.bot_key, name="Grace Hopper")
    visitor.send("How do I export my deals?")
    alex_context, sam_context = new_context(browser), new_context(browser)
    try:
        alex, sam = alex_context.new_page(), sam_context.new_page()
        log_in(alex, stack, stack.owner_email)
        log_in(sam, stack, teammate.email)
        open_thread(alex, visitor.thread_id)
        open_thread(sam, visitor.thread_id)

        expect(alex.locator("#presence")).to_contain_text("Sam Rivera is viewing")
        expect(sam.locator("#presence")).to_contain_text("Alex Morgan is viewing")
        row = alex.locator(f'.thread-row[data-thread-id="{visitor.thread_id}"] .row-people')
        expect(row).to_have_attribute("aria-label", "Sam Rivera viewing")

        sam.get_by_label("Reply to the visitor").press_sequentially("Hi Grace, ")
        expect(alex.locator("#presence")).to_contain_text("Sam Rivera is typing…")
        warning = alex.locator("#collision")
        expect(warning).to_have_text("Sam Rivera is typing a reply in this thread too.")

        # Alex sends anyway: the server holds it back and the page asks first.
        alex.get_by_label("Reply to the visitor").fill("Hello Grace, Alex here.")
        alex.get_by_role("button", name="Send", exact=True).click()
        dialog = alex.locator("#collision-dialog")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("Sam Rivera is typing in this thread.")
        dialog.get_by_role("button", name="Keep editing").click()
        expect(dialog).to_be_hidden()
        expect(alex.get_by_label("Reply to the visitor")).to_have_value("Hello Grace, Alex here.")
        assert all(m["author"] != "staff" for m in visitor.history())

        alex.get_by_role("button", name="Send", exact=True).click()
        dialog.get_by_role("button", name="Send anyway").click()
        expect(sam.locator(".msg-staff")).to_contain_text("Alex here")  # live, on Sam's screen

        # Sam, mid-sentence, is warned that Alex just answered.
        expect(sam.locator("#collision")).to_contain_text("Alex replied")
        sam.get_by_role("button", name="Send", exact=True).click()
        expect(sam.locator("#collision-dialog")).to_contain_text("Alex Morgan replied")
        sam.locator("#collision-dialog").get_by_role("button", name="Keep editing").click()

        # Leaving the thread clears Sam from Alex's screen.
        sam.get_by_role("button", name="Log out").click()
        expect(sam).to_have_url(f"{stack.inbox}/login")
        expect(alex.locator("#presence")).not_to_contain_text("Sam Rivera")
    finally:
        alex_context.close()
        sam_context.close()
    staff = [m["text"] for m in visitor.history() if m["author"] == "staff"]
    assert staff == ["Hello Grace, Alex here."]
