"""Browser fixtures: an account on the browser tests' isolated Baton (tests/e2e/conftest.py),
customer pages on other origins, headless Chromium.

The gateway, the demo site and a test host page each listen on their own 127.0.0.1 port, so
the widget runs cross-origin exactly as it would on a customer's site.
"""

import os
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from pymongo import MongoClient

from tests.e2e.browser.host_pages import HostPages
from tests.e2e.browser.site import BOT_SETTINGS, STAFF_PASSWORD, Site
from tests.e2e.conftest import BrowserSystem
from tests.support.infra import infra
from tests.support.isolated import ROOT, IsolatedSystem, free_port, run_json

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Generous: the AI answers in ~100 ms, but a 2-core machine running the suite can stall.
TIMEOUT_MS = float(os.environ.get("BATON_BROWSER_TIMEOUT_MS", "20000"))
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="package")
def site(browser_system: BrowserSystem) -> Iterator[Site]:
    system = browser_system.system
    demo: subprocess.Popen[bytes] | None = None
    host: HostPages | None = None
    try:
        demo_port = free_port()
        demo_origin = f"http://127.0.0.1:{demo_port}"
        bot_key = f"browser-{uuid.uuid4().hex[:8]}"
        demo = _start_demo_site(system, demo_port, bot_key)
        host = HostPages(system.url("gateway"), bot_key)
        email = f"owner-{bot_key}@example.test"
        ids = run_json(
            str(ROOT / ".venv/bin/baton-inbox-admin"), "seed-demo",
            "--account-name", f"acct-{bot_key}", "--email", email, "--password", STAFF_PASSWORD,
            "--staff-name", "Alex Morgan", "--bot-key", bot_key,
            "--allowed-origin", demo_origin, "--allowed-origin", host.origin,
            env=system.env,
        )  # fmt: skip
        system.ingest(ids["bot_id"], f"{demo_origin}/help")
        _wait_http(f"{demo_origin}/healthz", demo)
        client: MongoClient[dict[str, Any]] = MongoClient(infra().mongo_url)
        with client as mongo:
            mongo[system.mongo_db]["bots"].update_one(
                {"_id": ids["bot_id"]}, {"$set": BOT_SETTINGS}
            )
        login = httpx.post(
            f"{system.url('inbox')}/v1/auth/login",
            json={"email": email, "password": STAFF_PASSWORD},
        )
        login.raise_for_status()
        yield Site(
            system=system,
            demo_origin=demo_origin,
            host=host,
            bot_key=bot_key,
            bot_id=str(ids["bot_id"]),
            account_id=str(ids["account_id"]),
            staff_token=login.json()["token"],
        )
    finally:
        if host:
            host.close()
        if demo and demo.poll() is None:
            demo.terminate()
            demo.wait(timeout=20)


def _start_demo_site(system: IsolatedSystem, port: int, bot_key: str) -> subprocess.Popen[bytes]:
    env = {
        **system.env,
        "BATON_DEMO_PORT": str(port),
        "BATON_DEMO_BOT_KEY": bot_key,
        "BATON_GATEWAY_PUBLIC_URL": system.url("gateway"),
    }
    log = (system.log_dir / "demo-site.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "baton_gateway.demo_site"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _wait_http(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: process exited")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} never answered")
        time.sleep(0.2)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `BATON_WITH_BROWSER=1 make install` installs Debian's chromium"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh profile per test: its own localStorage, so its own widget session."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def bots(site: Site) -> Iterator[Any]:
    """The isolated system's `bots` collection; each test restores what it changed."""
    client: MongoClient[dict[str, Any]] = MongoClient(infra().mongo_url)
    collection = client[site.system.mongo_db]["bots"]
    original = collection.find_one({"_id": site.bot_id})
    assert original is not None, f"the seeded bot {site.bot_id} is missing"
    yield collection
    collection.replace_one({"_id": site.bot_id}, original)
    client.close()
