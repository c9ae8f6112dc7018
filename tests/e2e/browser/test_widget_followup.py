"""Pre-chat form rules and the e-mail prompt after an escalation, in the browser."""

import uuid
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser.site import Site
from tests.e2e.browser.widget_page import WidgetPage

pytestmark = pytest.mark.e2e


def docless_bot(site: Site, bots: Any, **settings: Any) -> str:
    """A bot with no help docs: whatever the visitor asks, the AI brings in a teammate."""
    bot_key = f"docless-{uuid.uuid4().hex[:8]}"
    bots.insert_one(
        {
            "_id": str(uuid.uuid4()),
            "bot_key": bot_key,
            # An account of its own: no teammate is online for it, so the e-mail is asked.
            "account_id": str(uuid.uuid4()),
            "name": "No docs",
            "allowed_origins": [site.host.origin],
            **settings,
        }
    )
    return bot_key


def test_required_field_blocks_start_and_escalation_asks_for_email(
    site: Site, page: Page, bots: Any
) -> None:
    bot_key = docless_bot(
        site,
        bots,
        display_name="Acme Help",
        prechat_fields=[{"field": "name", "required": True}, {"field": "email"}],
    )
    page.goto(site.host.url(f"/page?bot={bot_key}"))
    widget = WidgetPage(page, bot_key)
    widget.open()
    expect(widget.locator("h2")).to_have_text("Acme Help")
    form = widget.locator("form.pre")
    form.get_by_role("button", name="Start chat").click()
    assert form.locator("input[name=name]").evaluate("(e) => e.validity.valueMissing")
    expect(widget.locator("textarea")).to_be_hidden()
    assert page.evaluate("() => localStorage.length") == 0  # no session until the form is done

    widget.fill_prechat(name="Grace")
    expect(widget.locator(".card")).to_be_hidden()
    widget.ask("Can I pay my invoice in seashells?")
    expect(widget.bubbles("ai")).to_have_count(1)
    card = widget.locator(".card")
    expect(card).to_be_visible()
    # The browser takes this address; the gateway does not: the reason shows under the field.
    card.locator("input").fill("grace@localhost")
    card.get_by_role("button", name="Notify me").click()
    error = card.locator(".ferr")
    expect(error).to_have_text("Please enter a valid e-mail address, like you@company.com.")
    expect(card.locator("input")).to_have_attribute("aria-invalid", "true")
    expect(card.locator("input")).to_be_focused()
    card.locator("input").fill("grace@example.test")
    card.get_by_role("button", name="Notify me").click()
    expect(card).to_be_hidden()
    expect(error).to_have_count(0)
    expect(widget.locator(".list .line")).to_have_text("Thanks! We'll reply to grace@example.test.")

    page.reload()
    expect(widget.bubbles("ai")).to_have_count(1)
    expect(widget.locator(".sub")).to_contain_text("AI assistant")
    expect(card).to_be_hidden()


def test_visitor_who_gave_an_email_is_not_asked_again(site: Site, page: Page, bots: Any) -> None:
    bot_key = docless_bot(site, bots, prechat_fields=["email"])
    page.goto(site.host.url(f"/page?bot={bot_key}"))
    widget = WidgetPage(page, bot_key)
    widget.open()
    widget.fill_prechat(email="known@example.test")
    widget.ask("Can I pay my invoice in seashells?")
    expect(widget.bubbles("ai")).to_have_count(1)
    # The escalation precedes the AI's reply in the log, and the gateway streams in log order:
    # with the reply on screen, the state that would show the card has arrived.
    expect(widget.locator(".card")).to_be_hidden()
