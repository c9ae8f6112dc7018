"""Inbox browser fixtures: on the browser tests' isolated Baton (tests/e2e/conftest.py, with its
SMTP sink), a seeded account with two bots (the demo help center, and a help center of hostile
markup), and headless Chromium."""

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.e2e.conftest import BrowserSystem
from tests.support.inbox_harness import MailSink, invite_and_accept_on
from tests.support.isolated import ROOT, IsolatedSystem, run_json

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ORIGIN = "http://inbox-e2e.test"
PASSWORD = "browser-inbox-password"
TIMEOUT_MS = float(os.environ.get("BATON_BROWSER_TIMEOUT_MS", "20000"))
expect.set_options(timeout=TIMEOUT_MS)

# A help page full of markup: whatever of it reaches an answer must show as text.
HOSTILE_PAGE = """# Embedding <img src=x onerror="window.__xss='title'"> the chat widget

To embed the chat widget, paste <script>window.__xss='chunk'</script> before the closing body
tag, then reload: the chat widget <img src=x onerror="window.__xss='chunk-img'"> appears in the
corner of every page that holds the embed snippet.
"""


@dataclass
class Stack:
    system: IsolatedSystem
    sink: MailSink
    bot_key: str
    hostile_bot_key: str
    owner_email: str
    owner_token: str

    @property
    def inbox(self) -> str:
        return self.system.url("inbox")

    @property
    def gateway(self) -> str:
        return self.system.url("gateway")


def _seed(system: IsolatedSystem, account: str, email: str, bot_key: str) -> dict[str, object]:
    return run_json(
        str(ROOT / ".venv/bin/baton-inbox-admin"), "seed-demo",
        "--account-name", account, "--email", email, "--password", PASSWORD,
        "--staff-name", "Alex Morgan", "--bot-key", bot_key, "--allowed-origin", ORIGIN,
        env=system.env,
    )  # fmt: skip


@pytest.fixture(scope="session")
def stack(browser_system: BrowserSystem) -> Stack:
    system, work = browser_system.system, browser_system.work
    suffix = uuid.uuid4().hex[:8]
    account, email = f"Orbit CRM {suffix}", f"alex-{suffix}@example.test"
    bot_key, hostile_key = f"inbox-{suffix}", f"hostile-{suffix}"
    ids = _seed(system, account, email, bot_key)
    hostile = _seed(system, account, email, hostile_key)  # a second bot, same account
    system.ingest(ids["bot_id"], "https://help.orbit.test")
    hostile_docs = work / "hostile-docs"
    hostile_docs.mkdir()
    (hostile_docs / "embedding.md").write_text(HOSTILE_PAGE)
    system.ingest(hostile["bot_id"], "https://help.orbit.test", hostile_docs)
    login = httpx.post(
        f"{system.url('inbox')}/v1/auth/login", json={"email": email, "password": PASSWORD}
    )
    login.raise_for_status()
    return Stack(system, browser_system.sink, bot_key, hostile_key, email, login.json()["token"])


@dataclass
class Teammate:
    email: str
    name: str


@pytest.fixture(scope="session")
def teammate(stack: Stack) -> Teammate:
    """A second teammate (agent), invited by e-mail through the sink."""
    email, _ = invite_and_accept_on(
        stack.inbox, stack.sink, stack.owner_token, "agent", "Sam Rivera", PASSWORD
    )
    return Teammate(email, "Sam Rivera")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install -y chromium` installs it")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def new_context(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = new_context(browser)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def log_in_as_admin(page: Page, inbox: str, email: str, password: str) -> None:
    """Through the login page, as an admin; ends when the header offers the Bots page."""
    page.goto(f"{inbox}/login")
    expect(page.get_by_role("button", name="Log in")).to_be_enabled()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#bots-link")).to_be_visible()


def log_in(page: Page, stack: Stack, email: str, password: str = PASSWORD) -> None:
    """Through the login page, as a teammate would; ends on the live inbox."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{stack.inbox}/")
    expect(page).to_have_url(f"{stack.inbox}/login?next=%2F")
    # The redirect commits the URL before the login page's module has run: wait for it.
    expect(page.get_by_role("button", name="Log in")).to_be_enabled()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("body")).to_have_attribute("data-live", "live")
    assert not errors, errors
