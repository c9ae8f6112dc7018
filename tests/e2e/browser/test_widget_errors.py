"""The widget's pre-chat form: an answer the gateway refuses shows as a sentence under its
field, marked invalid and announced, not as a line at the foot of the panel."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser.site import Site
from tests.e2e.browser.widget_page import WidgetPage

pytestmark = pytest.mark.e2e


def test_a_refused_prechat_answer_shows_under_its_field(site: Site, page: Page) -> None:
    page.goto(site.host.url("/page"))
    widget = WidgetPage(page, site.bot_key)
    widget.open()
    form = widget.locator("form.pre")
    form.locator("input[name=name]").fill("Ada")
    email = form.locator("input[name=email]")
    email.fill("ada@localhost")  # valid to the browser, not to the gateway: no dot in the host
    form.get_by_role("button", name="Start chat").click()
    error = widget.locator("#baton-err-email")
    expect(error).to_have_text("Please enter a valid e-mail address, like you@company.com.")
    expect(error).to_have_attribute("role", "alert")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_be_focused()
    expect(widget.locator(".notice")).to_have_text("")

    email.fill("ada@example.test")
    form.get_by_role("button", name="Start chat").click()
    expect(widget.locator("textarea")).to_be_visible()
