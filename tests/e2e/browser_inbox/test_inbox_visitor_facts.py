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
