"""axe-core on the widget as a visitor sees it (pre-chat form, then a conversation): no serious
or critical accessibility violation inside it."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser.site import Site
from tests.e2e.browser.widget_page import WidgetPage
from tests.e2e.browser_inbox.a11y import serious_violations

pytestmark = pytest.mark.e2e


def test_no_serious_violations_in_the_widget(site: Site, page: Page) -> None:
    page.goto(site.host.url("/page"))
    widget = WidgetPage(page, site.bot_key)
    widget.open()
    expect(widget.locator("form.pre")).to_be_visible()
    found = {"prechat": serious_violations(page, "baton-widget")}
    widget.fill_prechat(name="Axe Visitor")
    widget.ask("How do I import my contacts?")
    expect(widget.bubbles("ai")).to_have_count(1)
    found["conversation"] = serious_violations(page, "baton-widget")
    assert not any(found.values()), found
