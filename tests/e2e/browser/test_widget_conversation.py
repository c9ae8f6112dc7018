"""A visitor on the demo site (its own origin) and a teammate in the inbox, in real Chromium."""

import os
import re
import shutil

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser.site import Site
from tests.e2e.browser.widget_page import WidgetPage
from tests.support.isolated import ROOT

pytestmark = pytest.mark.e2e
SCREENSHOT = ROOT / "docs" / "screenshots" / "widget.png"


def test_answer_with_source_teammate_takeover_and_history_after_reload(
    site: Site, page: Page
) -> None:
    page.goto(site.demo_origin + "/")
    widget = WidgetPage(page, site.bot_key)
    widget.open()
    expect(widget.locator("h2")).to_have_text("Orbit CRM Support")
    widget.fill_prechat(name="Ada Lovelace", email="ada@example.test", company="Analytical Ltd")

    widget.ask("How do I import my contacts?")
    answer = widget.bubbles("ai").first
    source = answer.locator(".src a")
    expect(source.first).to_have_attribute("href", re.compile(r"/help/importing-contacts"))
    expect(source.first).to_contain_text("Importing Contacts")
    expect(answer.locator(".text")).to_contain_text("import")

    thread_id = widget.thread_id()
    visitor = site.inbox_thread(thread_id)["visitor"]  # the pre-chat answers reached the inbox
    assert visitor == {
        "name": "Ada Lovelace",
        "email": "ada@example.test",
        "company": "Analytical Ltd",
        "user_id": None,
        "verified": False,
    }

    site.staff_typing(thread_id, "Alex")
    expect(widget.locator(".typing")).to_contain_text("Alex is typing")
    site.staff_reply(thread_id, "Hi Ada, Alex here. I'll take it from here.")
    staff = widget.locator(".list .row").first
    expect(staff.locator(".text")).to_have_text("Hi Ada, Alex here. I'll take it from here.")
    expect(staff.locator(".who")).to_have_text("Alex from support")
    expect(widget.locator(".list .line").first).to_have_text(
        "Alex from support joined the conversation"
    )
    expect(widget.locator(".typing")).to_be_hidden()
    expect(widget.locator(".sub")).to_have_text("You're chatting with Alex")
    _save_screenshot(page)

    # The AI stays silent while the teammate holds the thread. The question nobody answered
    # then is the AI's once the thread is handed back: it answers it after the hand-back,
    # which the widget announces, then answers the next question as usual.
    widget.ask("Can I import deals as well?")
    expect(widget.bubbles("me")).to_have_count(2)
    expect(widget.locator(".me.sending")).to_have_count(0)
    site.hand_back(thread_id)
    expect(widget.locator(".sub")).to_contain_text("AI assistant")
    expect(widget.notes).to_have_text(
        ["The AI assistant is answering again. A teammate can still join."]
    )
    expect(widget.bubbles("ai")).to_have_count(2)
    expect(widget.bubbles("ai").nth(1).locator(".text")).to_contain_text(re.compile("deal", re.I))
    widget.ask("How do I connect Gmail?")
    expect(widget.bubbles("ai")).to_have_count(3)
    expect(widget.bubbles("ai").nth(2).locator(".text")).to_contain_text(re.compile("gmail", re.I))
    before_reload = widget.transcript()
    assert [line.split(":")[0] for line in before_reload] == [
        "me", "ai", "line", "staff", "me", "ai", "me", "ai"
    ], before_reload  # fmt: skip

    page.reload()
    expect(widget.panel).to_be_visible()  # it stays open across page loads
    expect(widget.bubbles("ai")).to_have_count(3)
    assert widget.transcript() == before_reload
    expect(widget.locator(".list .line")).to_have_count(1)
    expect(widget.notes).to_have_count(0)  # a notice is what this page saw, not the thread's


def _save_screenshot(page: Page) -> None:
    """Kept under .baton/ on every run; copied into docs/ with BATON_UPDATE_SCREENSHOTS=1."""
    shot = ROOT / ".baton" / "screenshots" / "widget.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.mouse.move(0, 0)
    page.screenshot(path=str(shot))
    if os.environ.get("BATON_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
