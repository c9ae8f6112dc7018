"""The README's inbox screenshots, taken from a real session in a fresh account.

`BATON_WRITE_SCREENSHOTS=1 .venv/bin/pytest tests/e2e/browser_inbox/test_inbox_screenshots.py`
writes docs/screenshots/inbox-list.png, inbox-thread.png and inbox-bots.png; otherwise they go to a temporary
folder, and the test still checks that what they show is there.
"""

import time
import uuid
from collections.abc import Iterable
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.browser_inbox.conftest import (
    ORIGIN,
    PASSWORD,
    Stack,
    _seed,
    log_in,
    new_context,
)
from tests.e2e.browser_inbox.screenshots import screenshot_folder
from tests.support.inbox_harness import bearer, invite_and_accept_on
from tests.support.widget import Visitor

pytestmark = pytest.mark.e2e

VISITORS = [
    ("Ada Lovelace", "ada@analytical.example", "Analytical Engines", "How do I import my contacts from a spreadsheet?"),
    ("Grace Hopper", "grace@cobol.example", "COBOL Labs", "I was charged twice this month. Can I talk to a person, please?"),
    ("Linus Torvalds", "linus@kernel.example", "", "How do I connect my Outlook mailbox?"),
    ("Margaret Hamilton", "", "Apollo Guidance", "Can I export my deals to a CSV file?"),
    ("Alan Turing", "alan@bletchley.example", "", "Do you have an on-premise version for government agencies?"),
    ("Katherine Johnson", "", "", "How do I reset my password?"),
]  # fmt: skip


def test_inbox_screenshots(browser: Browser, stack: Stack, tmp_path: Path) -> None:
    out = screenshot_folder(tmp_path)
    system = stack.system
    owner = f"alex-{uuid.uuid4().hex[:6]}@orbit.example"
    ids = _seed(system, "Orbit CRM", owner, "orbit-shots")
    system.ingest(ids["bot_id"], "https://help.orbit.example")
    token = httpx.post(
        f"{stack.inbox}/v1/auth/login", json={"email": owner, "password": PASSWORD}
    ).json()["token"]
    sam_email, sam_token = invite_and_accept_on(
        stack.inbox, stack.sink, token, "agent", "Sam Rivera", PASSWORD
    )
    threads = {}
    for name, email, company, question in VISITORS:
        visitor = _open(stack, name, email, company)
        visitor.send(question)
        threads[name] = visitor.thread_id
        time.sleep(0.3)
    _wait_answers(stack, token, threads.values())
    linus = threads["Linus Torvalds"]
    httpx.post(
        f"{stack.inbox}/v1/threads/{linus}/messages",
        json={"text": "Hi Linus, Sam here. Outlook needs an app password; steps are on their way."},
        headers=bearer(sam_token),
    ).raise_for_status()
    httpx.post(
        f"{stack.inbox}/v1/threads/{threads['Ada Lovelace']}/notes",
        json={"text": "Ada is on the Enterprise trial: offer the migration call."},
        headers=bearer(sam_token),
    ).raise_for_status()

    alex_context, sam_context = new_context(browser), new_context(browser)
    try:
        sam = sam_context.new_page()
        log_in(sam, stack, sam_email)
        sam.locator(f'.thread-row[data-thread-id="{threads["Ada Lovelace"]}"]').click()
        sam.get_by_label("Reply to the visitor").press_sequentially("Hi Ada, here is the template")

        alex = alex_context.new_page()
        log_in(alex, stack, owner)
        expect(alex.locator(".thread-row")).to_have_count(len(VISITORS))
        expect(alex.locator(".thread-row .badge-needs")).not_to_have_count(0)
        alex.mouse.move(0, 0)
        alex.screenshot(path=str(out / "inbox-list.png"))

        alex.locator(f'.thread-row[data-thread-id="{threads["Ada Lovelace"]}"]').click()
        expect(alex.locator(".msg-ai .sources a")).not_to_have_count(0)
        # Sam's typing shows for 3 s after the last key: type on while Alex looks.
        sam.get_by_label("Reply to the visitor").press_sequentially(" for contacts")
        expect(alex.locator("#presence")).to_contain_text("Sam Rivera is typing")
        expect(alex.locator(".note")).to_have_count(1)
        alex.get_by_label("Reply to the visitor").fill("Hi Ada, ")
        expect(alex.locator("#collision")).to_be_visible()
        alex.screenshot(path=str(out / "inbox-thread.png"))

        alex.goto(f"{stack.inbox}/bots#bot={ids['bot_id']}")
        expect(alex.locator("#set-origins")).to_have_value(ORIGIN)
        expect(alex.locator("#set-handback-hint")).to_contain_text("600 seconds")
        # The page scrolls inside a 100vh frame: a tall window shows the settings whole. Only
        # the bot's part: this stack runs no ingest service, which the page reports on top.
        alex.set_viewport_size({"width": 1440, "height": 2200})
        alex.locator("#bot").screenshot(path=str(out / "inbox-bots.png"))
    finally:
        alex_context.close()
        sam_context.close()
    assert (out / "inbox-list.png").stat().st_size > 10_000
    assert (out / "inbox-thread.png").stat().st_size > 10_000
    assert (out / "inbox-bots.png").stat().st_size > 10_000


CHROME = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def _open(stack: Stack, name: str, email: str, company: str) -> Visitor:
    """A widget session as a browser on the customer's pricing page would open it."""
    profile = {k: v for k, v in (("name", name), ("email", email), ("company", company)) if v}
    response = httpx.post(
        f"{stack.gateway}/v1/widget/sessions",
        json={
            "bot_key": "orbit-shots",
            "visitor": profile,
            "page_url": "https://www.orbit.example/pricing",
        },
        headers={"Origin": ORIGIN, "User-Agent": CHROME},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return Visitor(stack.gateway, ORIGIN, body["thread_id"], body["visitor_token"])


def _wait_answers(stack: Stack, token: str, thread_ids: Iterable[str]) -> None:
    deadline = time.monotonic() + 30
    for thread_id in thread_ids:
        while True:
            thread = httpx.get(f"{stack.inbox}/v1/threads/{thread_id}", headers=bearer(token))
            if thread.status_code == 200 and len(thread.json()["messages"]) >= 2:
                break
            assert time.monotonic() < deadline, thread.text
            time.sleep(0.2)
