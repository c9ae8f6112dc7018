"""The widget's pre-chat form: an answer the gateway refuses shows as a sentence under its
field, marked invalid and announced, not as a line at the foot of the panel."""

import pytest
from playwright.sync_api import Page, Route, expect

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


def test_a_rate_limited_message_counts_down_and_can_be_sent_again(site: Site, page: Page) -> None:
    """Found by exploratory testing: a refused message kept only a red outline and the notice
    "too many requests; wait 22 seconds" never counted down or cleared."""
    page.clock.install()
    page.goto(site.demo_origin + "/")
    widget = WidgetPage(page, site.bot_key)
    widget.open()
    widget.fill_prechat(name="Quick Typist")
    refused: list[str] = []

    def limited(route: Route) -> None:
        if route.request.method == "POST" and not refused:
            refused.append(route.request.post_data or "")
            route.fulfill(
                status=429,
                headers={"Retry-After": "3", "Access-Control-Expose-Headers": "Retry-After",
                         "Access-Control-Allow-Origin": "*"},
                json={"error": {"code": "rate_limited", "message": "too many requests; wait 3 seconds"}},
            )  # fmt: skip
        else:
            route.continue_()

    page.route("**/v1/widget/threads/*/messages", limited)
    widget.ask("How do I import my contacts?")
    failed = widget.locator(".list .msg.me.failed")
    expect(failed).to_contain_text("How do I import my contacts?")
    notice = widget.locator(".notice")
    expect(notice).to_contain_text("You can send again in 3 s.")
    page.clock.run_for(1000)
    expect(notice).to_contain_text("You can send again in 2 s.")
    page.clock.run_for(2500)
    expect(notice).to_have_text("")

    failed.get_by_role("button", name="Not sent. Send again").click()
    expect(widget.locator(".list .msg.me.failed")).to_have_count(0)
    expect(widget.bubbles("me")).to_have_count(1)
    page.clock.run_for(1000)  # lets the stream's timers run under the installed clock
    expect(widget.bubbles("ai").first.locator(".text")).to_contain_text("import", timeout=15_000)
    assert len(refused) == 1


def test_a_message_over_the_limit_is_kept_whole_and_not_sent(site: Site, page: Page) -> None:
    """Found by exploratory testing: a pasted 4,100-character text was cut to 4,000 without a
    word and sent cut."""
    page.goto(site.demo_origin + "/")
    widget = WidgetPage(page, site.bot_key)
    widget.open()
    widget.fill_prechat(name="Long Writer")
    box = widget.locator("textarea")
    box.fill("x" * 4100)
    notice = widget.locator(".notice")
    expect(notice).to_have_text(
        "Your message is 4,100 characters long; the limit is 4,000. Please shorten it."
    )
    box.press("Enter")
    expect(box).to_have_value("x" * 4100)
    expect(widget.bubbles("me")).to_have_count(0)
    box.fill("x" * 3990)
    expect(notice).to_have_text("")
