"""What the inbox shows about who the visitor is, in headless Chromium: a signed-in user of the
customer's site carries a "verified" badge, and an e-mail left in the widget after an
escalation appears in the open thread live, without a reload."""

import hashlib
import hmac

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser_inbox.conftest import ORIGIN, Stack, log_in
from tests.support.inbox_harness import bearer
from tests.support.widget import Visitor

pytestmark = pytest.mark.e2e


def signed_in_visitor(stack: Stack, user_id: str, name: str) -> Visitor:
    """A docless bot with identity verification on, made through the Bots API, and a widget
    session of a user the customer's backend signed."""
    bots = f"{stack.inbox}/v1/bots"
    bot = httpx.post(bots, json={"name": "Signed-in help"}, headers=bearer(stack.owner_token))
    bot.raise_for_status()
    bot_id, bot_key = bot.json()["id"], bot.json()["bot_key"]
    httpx.patch(
        f"{bots}/{bot_id}", json={"allowed_origins": [ORIGIN]}, headers=bearer(stack.owner_token)
    ).raise_for_status()
    secret = httpx.post(f"{bots}/{bot_id}/identity-secret", headers=bearer(stack.owner_token))
    secret.raise_for_status()
    user_hash = hmac.new(
        secret.json()["identity_secret"].encode(), user_id.encode(), hashlib.sha256
    ).hexdigest()
    session = httpx.post(
        f"{stack.gateway}/v1/widget/sessions",
        json={
            "bot_key": bot_key,
            "visitor": {"name": name},
            "user_id": user_id,
            "user_hash": user_hash,
        },
        headers={"Origin": ORIGIN},
    )
    assert session.status_code == 201, session.text
    body = session.json()
    return Visitor(stack.gateway, ORIGIN, body["thread_id"], body["visitor_token"])


def test_a_verified_user_is_marked_and_an_email_left_shows_live(page: Page, stack: Stack) -> None:
    log_in(page, stack, stack.owner_email)
    visitor = signed_in_visitor(stack, "cust-4711", "Grace Hopper")
    assert visitor.send("Can I pay my invoice in seashells?").status_code == 202

    row = page.locator(f'.thread-row[data-thread-id="{visitor.thread_id}"]')
    expect(row.locator(".badge-verified")).to_have_text("verified")
    row.click()
    expect(page.locator("#thread-title")).to_have_text("Grace Hopper verified")
    details = page.locator("#visitor-details")
    expect(details).to_contain_text("cust-4711 (verified)")
    expect(page.locator("#thread-sub")).to_have_text("")
    page.evaluate("window.__loadedAt = performance.timeOrigin")

    left = httpx.post(
        f"{stack.gateway}/v1/widget/threads/{visitor.thread_id}/contact",
        json={"email": "grace@example.test"},
        headers=visitor.headers,
    )
    assert left.status_code == 204, left.text
    expect(page.locator("#thread-sub")).to_have_text("grace@example.test")
    expect(details).to_contain_text("grace@example.test")
    assert page.evaluate("window.__loadedAt === performance.timeOrigin")  # no reload


def test_long_visitor_details_stay_inside_the_window_and_a_notice_is_not_called_an_answer(
    page: Page, stack: Stack
) -> None:
    """Found by exploratory testing: a 170-character name and a long address widened the
    thread header past the window (the page scrolled sideways), and an "I couldn't find
    this" reply was labelled "AI answer"."""
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, stack, stack.owner_email)
    name = "Maximilian-Alexander " + "W" * 150
    visitor = Visitor.open(
        stack.gateway, ORIGIN, stack.bot_key, name=name, email="a." + "x" * 120 + "@example.test",
        company="Z" * 190,
    )  # fmt: skip
    assert visitor.send("Do you integrate with Shopify point of sale terminals?").status_code == 202
    page.locator(f'.thread-row[data-thread-id="{visitor.thread_id}"]').click()
    notice = page.locator(".msg-ai").first
    expect(notice).to_contain_text("teammate")
    expect(notice.locator(".msg-author")).to_have_text("AI notice")
    expect(notice.locator(".confidence")).to_have_count(0)

    expect(page.locator("#thread-title")).to_have_attribute("title", name)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls {overflow}px sideways"
    title = page.locator("#thread-title").bounding_box()
    state = page.locator("#thread-state").bounding_box()
    assert title is not None and state is not None
    assert title["x"] + title["width"] <= state["x"], "the name runs under the state badges"
