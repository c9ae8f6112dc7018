"""A bot set up wrongly never fails silently on the customer's site: on an origin the bot does
not allow, and for a deleted bot, the widget draws nothing a visitor could type into and says
in the console, once, what the site owner must do. Creating a bot with its site's address
makes that site work at once."""

from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from tests.e2e.browser.host_pages import HostPages
from tests.e2e.browser.site import Site
from tests.e2e.browser.widget_page import W, WidgetPage

pytestmark = pytest.mark.e2e


def _console_errors(page: Page) -> list[str]:
    errors: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if message.type == "error" and "[Baton]" in message.text:
            errors.append(message.text)

    page.on("console", keep)
    return errors


def _wait_for(page: Page, errors: list[str]) -> None:
    for _ in range(100):  # the console line follows one request to the gateway
        if errors:
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(300)  # and no second line follows


def test_a_second_origin_gets_no_widget_and_a_console_line_naming_the_fix(
    site: Site, page: Page
) -> None:
    other = HostPages(site.gateway, site.bot_key)  # a site of ours the bot does not allow
    try:
        errors = _console_errors(page)
        page.goto(other.url("/page"))
        _wait_for(page, errors)
        assert len(errors) == 1, errors
        assert other.origin in errors[0]
        assert "allowed origins" in errors[0] and "Bots page" in errors[0]
        expect(page.locator(W)).to_have_count(0)
    finally:
        other.close()

    page.goto(site.host.url("/page"))  # an allowed origin still gets its widget
    WidgetPage(page, site.bot_key).open()


def test_a_bot_created_with_its_site_works_there_and_its_widget_goes_once_deleted(
    site: Site, page: Page, browser: Browser, bots: Any
) -> None:
    staff = {"Authorization": f"Bearer {site.staff_token}"}
    inbox = site.system.url("inbox")
    created = httpx.post(
        f"{inbox}/v1/bots",
        json={"name": "Second site", "site_address": f"{site.host.origin}/pricing?plan=pro"},
        headers=staff,
    )
    assert created.status_code == 201, created.text
    bot = created.json()
    assert bot["allowed_origins"] == [site.host.origin]

    page.goto(site.host.url(f"/page?bot={bot['bot_key']}"))
    expect(page.locator(f"{W} .launcher")).to_be_visible()

    # Deleting through the API also drops the bot's knowledge in the ingest service, which
    # this stack does not run; the gateway reads the bots collection (uncached here), so the
    # document's removal is what the widget meets.
    assert bots.delete_one({"_id": bot["id"]}).deleted_count == 1
    # A new visitor (an empty HTTP cache: the settings of a live bot are cached for 60 s).
    later = browser.new_context()
    try:
        page = later.new_page()
        errors = _console_errors(page)
        page.goto(site.host.url(f"/page?bot={bot['bot_key']}"))
        _wait_for(page, errors)
        assert len(errors) == 1, errors
        assert bot["bot_key"] in errors[0] and "deleted" in errors[0]
        expect(page.locator(W)).to_have_count(0)
    finally:
        later.close()
