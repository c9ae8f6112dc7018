"""The widget on a host page that fights it: global `all: unset`, `display: none` on every div,
overlays with the highest z-index (one added after the widget mounted), a transformed body.
And whatever anyone types, HTML shows as text."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser.site import Site
from tests.e2e.browser.widget_page import WidgetPage

pytestmark = pytest.mark.e2e
HTML_TEXT = '<img src=x onerror="window.__pwned = 1"><b>bold</b> How do I export my deals?'
STAFF_HTML = "<script>window.__pwned = 2</script><i>Alex</i> here & ready"


def test_hostile_css_does_not_break_the_widget(site: Site, page: Page) -> None:
    page.goto(site.host.url("/hostile"))
    page.wait_for_selector("#late-corner", state="attached")
    widget = WidgetPage(page, site.bot_key)
    widget.open()  # a click Playwright refuses if anything on the page covers the launcher
    assert (
        page.evaluate(
            """() => {
            const b = document.querySelector('baton-widget').shadowRoot
                .querySelector('.launcher').getBoundingClientRect();
            return document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2).tagName;
        }"""
        )
        == "BATON-WIDGET"
    )

    viewport = page.viewport_size
    assert viewport is not None
    box = widget.panel.bounding_box()
    assert box is not None
    assert 340 <= box["width"] <= 400 and 500 <= box["height"] <= 700, box
    assert box["x"] + box["width"] <= viewport["width"] - 10
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]
    assert widget.launcher.evaluate("(e) => [e.offsetWidth, e.offsetHeight]") == [58, 58]

    widget.fill_prechat(name="Mallory")
    title = widget.locator("h2")
    assert title.evaluate("(e) => getComputedStyle(e).fontSize") == "16px"
    assert title.evaluate("(e) => getComputedStyle(e).color") == "rgb(255, 255, 255)"
    widget.ask(HTML_TEXT)
    expect(widget.bubbles("ai")).to_have_count(1)
    mine = widget.bubbles("me").first.locator(".text")
    expect(mine).to_have_text(HTML_TEXT)
    assert mine.evaluate("(e) => getComputedStyle(e).fontSize") == "14px"

    site.staff_reply(widget.thread_id(), STAFF_HTML)
    expect(widget.locator(".list .row .text")).to_have_text(STAFF_HTML)
    assert widget.locator(".list .msg").locator("img, b, i, script").count() == 0
    assert page.evaluate("() => window.__pwned") is None


def test_html_in_messages_shows_as_text_after_reload(site: Site, page: Page) -> None:
    page.goto(site.host.url("/page"))
    widget = WidgetPage(page, site.bot_key)
    widget.open()
    widget.fill_prechat(name="<b>Eve</b>")
    widget.ask(HTML_TEXT)
    expect(widget.bubbles("ai")).to_have_count(1)
    page.reload()
    expect(widget.bubbles("me").first.locator(".text")).to_have_text(HTML_TEXT)
    assert widget.locator(".list .msg").locator("img, b").count() == 0
    assert page.evaluate("() => window.__pwned") is None
    visitor = site.inbox_thread(widget.thread_id())["visitor"]
    assert visitor["name"] == "<b>Eve</b>"  # stored as typed; every screen shows it as text
