"""On the demo help center, a how-to question whose answer is a numbered procedure gets the
procedure from its first step, with the page it came from, in real Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser.site import Site
from tests.e2e.browser.widget_page import WidgetPage

pytestmark = pytest.mark.e2e


def test_adding_a_deal_stage_is_answered_from_step_one(site: Site, page: Page) -> None:
    page.goto(site.demo_origin + "/")
    widget = WidgetPage(page, site.bot_key)
    widget.open()
    widget.fill_prechat(name="Grace Hopper", email="grace@example.test", company="Navy")

    widget.ask("How do I add a deal stage?")
    answer = widget.bubbles("ai").first
    expect(answer.locator(".src a").first).to_have_attribute(
        "href", re.compile(r"/help/deals-pipeline")
    )
    text = answer.locator(".text")
    expect(text).to_contain_text("Add stage")
    expect(text).to_contain_text("Settings > Pipelines")
    body = text.inner_text()
    # Step 3 holds "Add stage"; the steps that lead to it come first, in order.
    first, third = body.find("1. Go to Settings > Pipelines"), body.find("3. Click Add stage")
    assert 0 <= first < third, body
