"""The Bots page end to end: an admin creates a bot, lets a site embed it, uploads two
Markdown pages with live progress (the job's events on the bot's job stream, no polling), and
a visitor on that site gets an answer citing one; an admin deletes a bot from its page."""

import re
import time
from typing import Any

import httpx
import pytest
from playwright.sync_api import Dialog, FilePayload, Page, expect

from tests.e2e.browser_inbox.conftest import log_in_as_admin
from tests.e2e.conftest import BrowserSystem
from tests.support.inbox_harness import PASSWORD, sign_up
from tests.support.isolated import IsolatedSystem
from tests.support.widget import Visitor

pytestmark = pytest.mark.e2e

SITE = "http://zephyr-help.test:8080"
RESET_PAGE = b"""# Resetting the Zephyr thermostat

To reset the Zephyr thermostat, hold the power button for ten seconds until the ring light
blinks green. The thermostat then restarts with its factory schedule.
"""
PAIR_PAGE = b"""# Pairing the Zephyr remote

To pair the Zephyr remote, open the battery cover and press the small pairing key once; the
remote beeps twice when the thermostat accepts it.
"""


@pytest.fixture(scope="module")
def bots_stack(browser_system: BrowserSystem) -> IsolatedSystem:
    """A whole Baton (gateway, agent, handoff, inbox) with its ingest process."""
    return browser_system.system


def is_ai(message: dict[str, Any]) -> bool:
    return bool(message["author"] == "ai")


def test_a_new_bot_answers_from_pages_uploaded_on_the_bots_page(
    page: Page, bots_stack: IsolatedSystem
) -> None:
    inbox, gateway = bots_stack.url("inbox"), bots_stack.url("gateway")
    email, _ = sign_up(inbox, "Zephyr Home")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in_as_admin(page, inbox, email, PASSWORD)
    page.get_by_role("link", name="Bots").click()
    expect(page).to_have_url(f"{inbox}/bots")

    page.get_by_label("New bot's name").fill("Zephyr help")
    page.get_by_label("Your site's address").fill(SITE)
    page.get_by_role("button", name="Create bot").click()
    expect(page.locator("#bot-title")).to_have_text("Zephyr help")
    expect(page.locator("#bots")).to_contain_text("Zephyr help")
    snippet = page.locator("#snippet").text_content() or ""
    assert snippet.startswith(f'<script src="{gateway}/widget.js" data-bot="bot_'), snippet
    bot_key = snippet.split('data-bot="', 1)[1].split('"', 1)[0]

    page.get_by_label("Allowed origins").fill(SITE)
    page.get_by_label("Greeting").fill("Ask me about your thermostat")
    # This stack's agent has no chat model: the bot still answers, extractively (logged).
    page.get_by_label("Answerer").select_option("generative")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#settings-status")).to_have_text("Saved.")
    expect(page.get_by_label("Answerer")).to_have_value("generative")  # as saved and read back

    expect(page.locator("body")).to_have_attribute("data-job-stream", "live")
    job_reads: list[str] = []  # one job's record read: what the page did before the stream
    page.on(
        "request",
        lambda request: (
            job_reads.append(request.url)
            if re.search(r"/v1/bots/[^/]+/jobs/(?!stream)[^/?]+", request.url)
            else None
        ),
    )
    files: list[FilePayload] = [
        {"name": "reset-thermostat.md", "mimeType": "text/markdown", "buffer": RESET_PAGE},
        {"name": "pair-remote.md", "mimeType": "text/markdown", "buffer": PAIR_PAGE},
    ]
    page.get_by_label("Files").set_input_files(files)
    page.get_by_label("Published at (base URL)").fill("https://help.zephyr.test/")
    page.get_by_label("Source name").fill("Zephyr manual")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#job")).to_have_attribute("data-state", "succeeded", timeout=90_000)
    expect(page.locator("#job-status")).to_contain_text("Done: 2 of 2 pages")
    # The page moved the job on with the ingest events the inbox forwarded, and never polled.
    expect(page.locator("#job")).to_have_attribute("data-via", "stream")
    assert int(page.locator("#job").get_attribute("data-streamed") or "0") >= 2
    assert job_reads == [], job_reads
    expect(page.locator("#sources")).to_contain_text("Zephyr manual")
    expect(page.locator("#sources tr")).to_have_count(1)
    assert not errors, errors

    visitor = Visitor.open(gateway, SITE, bot_key, name="Robin")
    stream = visitor.stream()
    try:
        sent = visitor.send("How do I reset the thermostat?")
        assert sent.status_code == 202, sent.text
        answer = stream.wait_for(is_ai, timeout=30)
    finally:
        stream.close()
    assert any("reset-thermostat" in source["url"] for source in answer["sources"]), answer
    assert "power button" in answer["text"].lower(), answer


def test_an_admin_deletes_a_bot_from_its_page(page: Page, bots_stack: IsolatedSystem) -> None:
    inbox, gateway = bots_stack.url("inbox"), bots_stack.url("gateway")
    email, token = sign_up(inbox, "Zephyr Labs")
    owner = {"Authorization": f"Bearer {token}"}
    ids: dict[str, str] = {}
    for name in ("Kept help", "Old help"):
        created = httpx.post(f"{inbox}/v1/bots", json={"name": name}, headers=owner)
        assert created.status_code == 201, created.text
        ids[name] = created.json()["id"]
    doomed = httpx.patch(
        f"{inbox}/v1/bots/{ids['Old help']}", json={"allowed_origins": [SITE]}, headers=owner
    ).json()
    widget = f"{gateway}/v1/widget/bots/{doomed['bot_key']}"
    assert httpx.get(widget, headers={"Origin": SITE}).status_code == 200
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in_as_admin(page, inbox, email, PASSWORD)
    page.goto(f"{inbox}/bots#bot={ids['Old help']}")
    expect(page.locator("#bot-title")).to_have_text("Old help")

    asked: list[str] = []

    def second_thoughts(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", second_thoughts)
    page.get_by_role("button", name="Delete bot").click()
    expect(page.locator("#bots tr")).to_have_count(2)  # a second thought deletes nothing
    expect(page.locator("#bot-title")).to_have_text("Old help")
    assert asked and '"Old help"' in asked[0], asked

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete bot").click()
    expect(page.locator("#bots-status")).to_have_text("Deleted Old help.")
    expect(page.locator("#bot")).to_be_hidden()  # back on the list
    expect(page.locator("#bots tr")).to_have_count(1)
    expect(page.locator("#bots")).to_contain_text("Kept help")
    assert httpx.get(f"{inbox}/v1/bots/{ids['Old help']}", headers=owner).status_code == 404
    deadline = time.monotonic() + 10  # the gateway drops its copy on BotChanged, not in 60 s
    while httpx.get(widget, headers={"Origin": SITE}).status_code != 404:
        assert time.monotonic() < deadline, "the gateway still serves the deleted bot"
        time.sleep(0.1)
    assert not errors, errors
