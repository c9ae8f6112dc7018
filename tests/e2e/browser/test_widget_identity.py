"""Identity verification in the browser: a signed-in user's conversation follows them to
another device; a forged signature gets no session."""

import uuid
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser.site import Site, user_hash
from tests.e2e.browser.widget_page import WidgetPage

pytestmark = pytest.mark.e2e


def signed_page(site: Site, **data: str) -> str:
    return site.host.url("/page?" + urlencode(data))


def test_signed_in_user_finds_their_conversation_on_another_device(
    site: Site, page: Page, browser: Browser
) -> None:
    user_id = f"u-{uuid.uuid4().hex[:8]}"
    url = signed_page(
        site,
        **{
            "user-id": user_id,
            "user-hash": user_hash(user_id),
            "user-name": "Ada Lovelace",
            "user-email": "ada@example.test",
        },
    )
    page.goto(url)
    widget = WidgetPage(page, f"{site.bot_key}:{user_id}")
    widget.open()
    # name and e-mail come from the page; the optional company is not asked of a known user
    expect(widget.locator("form.pre")).to_be_hidden()
    widget.ask("How do I export my deals?")
    expect(widget.bubbles("ai")).to_have_count(1)
    thread_id = widget.thread_id()
    visitor = site.inbox_thread(thread_id)["visitor"]
    assert visitor == {
        "name": "Ada Lovelace",
        "email": "ada@example.test",
        "company": None,
        "user_id": user_id,  # the signature was checked: staff see who this is
        "verified": True,
    }

    other_device = browser.new_context()
    try:
        other = WidgetPage(other_device.new_page(), widget.bot_key)
        other.page.goto(url)
        other.open()
        expect(other.bubbles("ai")).to_have_count(1)
        expect(other.bubbles("me").first.locator(".text")).to_have_text("How do I export my deals?")
        assert other.thread_id() == thread_id
    finally:
        other_device.close()


def test_forged_signature_is_refused(site: Site, page: Page) -> None:
    forged = {"user-id": "victim", "user-hash": user_hash("attacker"), "user-name": "Victim"}
    page.goto(signed_page(site, **forged))
    widget = WidgetPage(page, site.bot_key)
    widget.open()
    expect(widget.locator(".notice")).to_have_text(
        "We couldn't verify your account. Please reload the page."
    )
    assert page.evaluate("() => localStorage.length") == 0
