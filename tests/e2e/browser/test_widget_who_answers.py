"""Who answers, as the visitor sees it: a teammate's hand-back gets a line, a closed thread
locks the composer until the visitor starts a new conversation or continues this one."""

import re
import uuid
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser.site import Site, user_hash
from tests.e2e.browser.widget_page import WidgetPage
from tests.e2e.browser_inbox.a11y import serious_violations

pytestmark = pytest.mark.e2e
ANSWERING_AGAIN = "The AI assistant is answering again. A teammate can still join."
CLOSED = "This conversation was closed."


def _visitor_with_an_answer(site: Site, page: Page, name: str) -> WidgetPage:
    widget = WidgetPage(page, site.bot_key)
    widget.record_states()
    page.goto(site.host.url("/page"))
    widget.open()
    widget.fill_prechat(name=name)
    widget.ask("How do I import my contacts?")
    expect(widget.bubbles("ai")).to_have_count(1)
    return widget


def test_a_hand_back_says_the_ai_answers_again(site: Site, page: Page) -> None:
    widget = _visitor_with_an_answer(site, page, "Grace Hopper")
    thread_id = widget.thread_id()
    expect(widget.notes).to_have_count(0)  # the first state of the page is no transition

    site.staff_reply(thread_id, "Hi Grace, Alex here.")
    expect(widget.locator(".sub")).to_have_text("You're chatting with Alex")
    expect(widget.notes).to_have_count(0)

    site.hand_back(thread_id)
    note = widget.locator("[role=log][aria-live=polite] > .note")  # announced like messages
    expect(note).to_have_text(ANSWERING_AGAIN)
    expect(widget.locator(".sub")).to_have_text("AI assistant · a teammate can join")
    lines = widget.transcript()  # the notice is no line of the thread: a reload drops it
    assert [line.split(":")[0] for line in lines] == ["me", "ai", "line", "staff"], lines
    last = widget.locator(".list > :not(.typing)").last
    expect(last).to_have_text(ANSWERING_AGAIN)  # after the teammate's message

    widget.ask("How do I connect Gmail?")
    expect(widget.bubbles("ai")).to_have_count(2)
    expect(widget.bubbles("ai").nth(1).locator(".text")).to_contain_text(re.compile("gmail", re.I))
    expect(widget.notes).to_have_count(1)


def test_a_closed_thread_locks_the_composer_until_the_visitor_continues(
    site: Site, page: Page
) -> None:
    widget = _visitor_with_an_answer(site, page, "Closed Visitor")
    thread_id = widget.thread_id()
    textarea, send = widget.locator("textarea"), widget.locator("button.send")
    widget.locator("textarea").focus()

    site.close(thread_id)
    closed = widget.locator(".list .note.closed")
    expect(closed.locator("p")).to_have_text(CLOSED)
    expect(closed.get_by_role("button")).to_have_text(
        ["Start a new conversation", "Continue this conversation"]
    )
    expect(textarea).to_be_disabled()
    expect(send).to_be_disabled()
    expect(widget.locator(".sub")).to_have_text("Conversation closed")
    # focus left the disabled box for the first choice, not the page
    expect(closed.get_by_role("button", name="Start a new conversation")).to_be_focused()
    expect(widget.notes).to_have_count(1)  # AI to closed: no "answering again"
    assert not serious_violations(page, "baton-widget")

    # Reloaded while still closed: the page finds it closed and says so again, after history.
    page.reload()
    expect(widget.panel).to_be_visible()
    widget.wait_for_state("closed")
    expect(widget.bubbles("ai")).to_have_count(1)
    expect(closed).to_have_count(1)
    expect(closed.locator("p")).to_have_text(CLOSED)
    expect(widget.locator(".list > :not(.typing)").last).to_have_class(re.compile(r"\bclosed\b"))
    expect(textarea).to_be_disabled()

    closed.get_by_role("button", name="Continue this conversation").click()
    expect(textarea).to_be_enabled()
    expect(send).to_be_enabled()
    expect(textarea).to_be_focused()
    expect(closed.get_by_role("button")).to_have_count(0)  # the line stays, the choices go
    expect(closed).to_have_text(CLOSED)
    assert widget.thread_id() == thread_id

    widget.ask("How do I connect Gmail?")  # reopens the thread: the AI answers
    expect(widget.bubbles("ai")).to_have_count(2)
    expect(widget.bubbles("ai").nth(1).locator(".text")).to_contain_text(re.compile("gmail", re.I))
    widget.wait_for_state("ai")
    expect(widget.notes).to_have_count(1)  # closed to AI: nothing more
    assert widget.thread_id() == thread_id

    # Reloaded once reopened: no closed notice, the composer works.
    page.reload()
    expect(widget.panel).to_be_visible()
    widget.wait_for_state("ai")
    expect(widget.bubbles("ai")).to_have_count(2)
    expect(widget.notes).to_have_count(0)
    expect(textarea).to_be_enabled()
    expect(widget.locator(".sub")).to_have_text("AI assistant · a teammate can join")


def test_start_a_new_conversation_after_a_close(site: Site, page: Page) -> None:
    widget = _visitor_with_an_answer(site, page, "Fresh Start")
    old_thread = widget.thread_id()
    site.close(old_thread)
    widget.locator(".list .note.closed").get_by_role(
        "button", name="Start a new conversation"
    ).click()

    # As for any new session: the bot's pre-chat form, then an empty conversation.
    widget.fill_prechat(name="Fresh Start")
    expect(widget.locator("textarea")).to_be_enabled()
    expect(widget.locator("textarea")).to_be_focused()
    new_thread = widget.thread_id()
    assert new_thread != old_thread
    expect(widget.locator(".list .msg.greet")).to_have_count(1)
    expect(widget.locator(".list > :not(.typing)")).to_have_count(1)  # the greeting alone
    assert widget.transcript() == []
    expect(widget.locator(".sub")).to_have_text("AI assistant · a teammate can join")

    widget.ask("How do I export my deals?")
    expect(widget.bubbles("ai")).to_have_count(1)
    assert widget.transcript()[0] == "me: How do I export my deals?"
    assert widget.thread_id() == new_thread
    assert site.inbox_thread(new_thread)["visitor"]["name"] == "Fresh Start"


def test_a_signed_in_user_can_only_continue_their_one_thread(site: Site, page: Page) -> None:
    user_id = f"u-{uuid.uuid4().hex[:8]}"
    data = {"user-id": user_id, "user-hash": user_hash(user_id), "user-name": "Ada Lovelace"}
    widget = WidgetPage(page, f"{site.bot_key}:{user_id}")
    page.goto(site.host.url("/page?" + urlencode(data)))
    widget.open()
    widget.ask("How do I export my deals?")
    expect(widget.bubbles("ai")).to_have_count(1)

    site.close(widget.thread_id())
    closed = widget.locator(".list .note.closed")
    # The gateway gives a signed-in user the same thread on every session: nothing new to start.
    expect(closed.get_by_role("button")).to_have_text(["Continue this conversation"])
    expect(widget.locator("textarea")).to_be_disabled()


def test_a_teammate_reopening_the_thread_unlocks_the_composer(site: Site, page: Page) -> None:
    widget = _visitor_with_an_answer(site, page, "Reopened Visitor")
    thread_id = widget.thread_id()
    site.close(thread_id)
    closed = widget.locator(".list .note.closed")
    expect(closed.get_by_role("button")).to_have_count(2)
    expect(widget.locator("textarea")).to_be_disabled()

    site.reopen(thread_id)  # the inbox's Reopen: the AI holds the thread again
    expect(widget.locator("textarea")).to_be_enabled()
    expect(widget.locator("button.send")).to_be_enabled()
    expect(closed.get_by_role("button")).to_have_count(0)  # nothing left to choose
    expect(widget.notes).to_have_count(1)  # and nothing more said: the closed line alone
    expect(widget.locator(".sub")).to_have_text("AI assistant · a teammate can join")
    widget.ask("How do I connect Gmail?")
    expect(widget.bubbles("ai")).to_have_count(2)


def test_outside_business_hours_the_header_says_when_the_team_is_back(
    site: Site, page: Page
) -> None:
    """The account's hours: every day, but today (in UTC) a holiday. The header shows when
    the team is back in the visitor's own time, not "a teammate can join"."""
    from datetime import UTC, datetime

    every_day = {
        d: [{"start": "00:00", "end": "24:00"}]
        for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    }
    closed_today = {
        "business_hours": every_day,
        "holidays": [datetime.now(UTC).date().isoformat()],
    }
    assert site.account_settings(closed_today).status_code == 200
    try:
        widget = WidgetPage(page, site.bot_key)
        page.goto(site.host.url("/page"))
        widget.open()
        widget.fill_prechat(name="Night Owl")
        widget.ask("How do I import my contacts?")
        expect(widget.locator(".sub")).to_contain_text("our team is back", timeout=20_000)
    finally:
        assert site.account_settings({}).status_code == 200
