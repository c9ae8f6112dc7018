"""The inbox driven by keyboard alone: from the login form to a sent reply without the mouse.
The thread list is one tab stop (roving tabindex), arrows move, Enter opens the thread with
focus in the reply box, Escape goes back to the row; `?` lists the shortcuts."""

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser_inbox.conftest import ORIGIN, PASSWORD, Stack, log_in
from tests.support.widget import Visitor

pytestmark = pytest.mark.e2e

FOCUSED_ROW = "() => document.activeElement.closest('.thread-row')?.dataset.threadId || null"


def _focused(page: Page) -> str:
    return str(page.evaluate("() => document.activeElement.id || document.activeElement.tagName"))


def test_login_to_a_sent_reply_by_keyboard(page: Page, stack: Stack) -> None:
    visitors = [
        Visitor.open(stack.gateway, ORIGIN, stack.bot_key, name=f"Keyboard visitor {n}")
        for n in range(3)
    ]
    for visitor in visitors:
        assert visitor.send("How do I import my contacts?").status_code == 202

    page.goto(f"{stack.inbox}/login")
    expect(page.locator("#email")).to_be_focused()
    page.keyboard.type(stack.owner_email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("body")).to_have_attribute("data-live", "live")
    for visitor in visitors:
        row = page.locator(f'.thread-row[data-thread-id="{visitor.thread_id}"]')
        expect(row).to_be_visible()
        # Answered: the list keeps its order from here on (a waiting thread sorts first).
        expect(row.locator(".row-wait")).to_have_count(0)

    presses = 0
    while page.evaluate(FOCUSED_ROW) is None:
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 20, f"no thread row after {presses} Tab presses; at {_focused(page)}"
    rows = page.locator(".thread-row")
    assert rows.count() >= 3
    assert page.locator('.thread-row[tabindex="0"]').count() == 1  # one tab stop

    first = page.evaluate(FOCUSED_ROW)
    page.keyboard.press("ArrowDown")
    second = page.evaluate(FOCUSED_ROW)
    assert second is not None and second != first
    expect(page.locator(f'.thread-row[data-thread-id="{second}"]')).to_have_attribute(
        "tabindex", "0"
    )
    page.keyboard.press("ArrowUp")
    assert page.evaluate(FOCUSED_ROW) == first
    page.keyboard.press("ArrowDown")

    page.keyboard.press("Enter")
    expect(page.locator("#thread-view")).to_be_visible()
    expect(page.locator("#reply")).to_be_focused()
    page.keyboard.type("Hello from the keyboard.")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".msg-staff").last).to_contain_text("Hello from the keyboard.")

    page.keyboard.press("Escape")
    assert page.evaluate(FOCUSED_ROW) == second
    page.keyboard.press("Tab")  # the list is one stop: Tab leaves it
    assert page.evaluate(FOCUSED_ROW) is None
    assert _focused(page) != "BODY"

    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED_ROW) == second
    page.keyboard.press("?")
    expect(page.locator("#shortcuts-dialog")).to_be_visible()
    expect(page.locator("#shortcuts-dialog")).to_contain_text("Next waiting conversation")
    page.keyboard.press("Escape")
    expect(page.locator("#shortcuts-dialog")).to_be_hidden()
    page.keyboard.press("r")
    expect(page.locator("#reply")).to_be_focused()


def test_labels_bot_filter_and_chip_contrast(page: Page, stack: Stack) -> None:
    escalated = Visitor.open(stack.gateway, ORIGIN, stack.bot_key, name="Wants a person")
    assert escalated.send("Can I talk to a real person please?").status_code == 202
    other_bot = Visitor.open(stack.gateway, ORIGIN, stack.hostile_bot_key, name="Other bot user")
    assert other_bot.send("How do I embed the widget?").status_code == 202
    closed = Visitor.open(stack.gateway, ORIGIN, stack.bot_key, name="Closed one")
    assert closed.send("How do I import my contacts?").status_code == 202

    log_in(page, stack, stack.owner_email)
    expect(page.locator(f'.thread-row[data-thread-id="{closed.thread_id}"]')).to_be_visible()
    row = page.locator(f'.thread-row[data-thread-id="{escalated.thread_id}"]')
    expect(row.locator(".badge-needs")).to_have_text("Asked for a person")
    expect(row.locator(".badge-ai")).to_have_count(0)

    bots = httpx.get(
        f"{stack.inbox}/v1/bots", headers={"Authorization": f"Bearer {stack.owner_token}"}
    ).json()["bots"]
    names = {bot["bot_key"]: bot["name"] for bot in bots}
    expect(row.locator(".row-bot")).to_have_text(names[stack.bot_key])
    other_row = page.locator(f'.thread-row[data-thread-id="{other_bot.thread_id}"]')
    expect(other_row.locator(".row-bot")).to_have_text(names[stack.hostile_bot_key])
    hostile_id = next(bot["id"] for bot in bots if bot["bot_key"] == stack.hostile_bot_key)
    page.locator("#bot-filter").select_option(hostile_id)
    expect(other_row).to_be_visible()
    expect(row).to_have_count(0)
    page.locator("#bot-filter").select_option("")
    expect(row).to_be_visible()

    closing = httpx.post(
        f"{stack.inbox}/v1/threads/{closed.thread_id}/close",
        headers={"Authorization": f"Bearer {stack.owner_token}"},
    )
    assert closing.status_code == 202, closing.text
    page.locator('.filter[data-filter="closed"]').click()
    closed_row = page.locator(f'.thread-row[data-thread-id="{closed.thread_id}"]')
    closed_row.click()
    expect(page.locator("#thread-state .badge-closed")).to_have_text("Closed")

    chip = page.locator('.filter[data-filter="closed"]')
    chip.hover()
    colours = chip.evaluate(
        "(e) => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"
    )
    assert contrast(*colours) >= 4.5, colours


def _rgb(css: str) -> tuple[float, float, float]:
    parts = css[css.index("(") + 1 : css.index(")")].split(",")
    red, green, blue = (float(part) / 255 for part in parts[:3])
    return red, green, blue


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two computed `rgb(...)` colours."""

    def luminance(css: str) -> float:
        channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb(css)]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
