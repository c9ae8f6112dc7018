"""Hostile input shows as text: a visitor's name and message, and a help-doc chunk (its heading
becomes the AI answer's source title), holding <script> and onerror markup. Checked in the
browser: the characters are on screen, and nothing ran."""

import httpx
import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.e2e.browser_inbox.conftest import ORIGIN, Stack, log_in
from tests.support.inbox_harness import bearer
from tests.support.widget import Visitor

pytestmark = pytest.mark.e2e

NAME = "<img src=x onerror=\"window.__xss='name'\">Mallory"
MESSAGE = (
    "<script>window.__xss='visitor'</script>"
    "<img src=x onerror=\"window.__xss='visitor-img'\"> How do I embed the chat widget?"
)


def test_markup_from_visitors_and_docs_renders_as_text(page: Page, stack: Stack) -> None:
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    log_in(page, stack, stack.owner_email)
    visitor = Visitor.open(stack.gateway, ORIGIN, stack.hostile_bot_key, name=NAME)
    assert visitor.send(MESSAGE).status_code == 202

    row = page.locator(f'.thread-row[data-thread-id="{visitor.thread_id}"]')
    expect(row).to_contain_text(NAME)
    row.click()
    expect(page.locator("#thread-title")).to_have_text(NAME)
    expect(page.locator(".msg-visitor .msg-text")).to_have_text(MESSAGE)

    # The doc chunk's heading reaches the inbox as the source title, markup and all. (The
    # agent's extractive answer drops tags from the passage itself; whatever text it keeps
    # must show exactly as stored.)
    answer = page.locator(".msg-ai").first
    expect(answer.locator(".sources a")).to_have_text(
        "Embedding <img src=x onerror=\"window.__xss='title'\"> the chat widget"
    )
    stored = httpx.get(
        f"{stack.inbox}/v1/threads/{visitor.thread_id}", headers=bearer(stack.owner_token)
    ).json()["messages"]
    ai_text = next(m["text"] for m in stored if m["author"] == "ai")
    assert "__xss='chunk'" in ai_text
    expect(answer.locator(".msg-text")).to_have_text(ai_text)

    # Nothing ran and nothing became markup.
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert dialogs == []
    injected = page.locator(".thread-list img, .thread-view img, .thread-view script")
    expect(injected).to_have_count(0)
