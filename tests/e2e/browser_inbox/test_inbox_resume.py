"""A dropped live connection: the inbox replica serving the page dies; while it is down another
replica stores a visitor message and a colleague's reply; when the page's stream reconnects it
resumes from its cursor and shows both, once each, with no reload."""

import signal
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser_inbox.conftest import ORIGIN, PASSWORD, Stack
from tests.support.inbox_harness import bearer
from tests.support.isolated import IsolatedSystem
from tests.support.widget import Visitor

pytestmark = pytest.mark.e2e


@pytest.fixture
def second_replica(stack: Stack) -> Iterator[IsolatedSystem]:
    """Another inbox process on the same topics, database and Redis prefix."""
    base = stack.system
    replica = IsolatedSystem(
        overrides={
            **base.overrides,
            "BATON_TOPIC_PREFIX": f"{base.name}.",
            "BATON_MONGO_DB": base.mongo_db,
            "BATON_REDIS_PREFIX": f"{base.name}:",
        }
    )
    replica.start("inbox")
    replica.wait_ready("inbox")
    yield replica
    replica.stop_all()


def wait_stored(stack: Stack, thread_id: str, count: int, timeout: float = 45.0) -> list[Any]:
    """Kafka reassigns the dead replica's partitions after its session times out (~10 s)."""
    deadline = time.monotonic() + timeout
    while True:
        thread = httpx.get(
            f"{stack.inbox}/v1/threads/{thread_id}", headers=bearer(stack.owner_token)
        )
        messages: list[Any] = thread.json()["messages"]
        if len(messages) >= count:
            return messages
        assert time.monotonic() < deadline, messages
        time.sleep(0.2)


def test_a_dropped_stream_resumes_without_missing_a_message(
    page: Page, stack: Stack, second_replica: IsolatedSystem
) -> None:
    inbox_b = second_replica.url("inbox")
    page.goto(f"{inbox_b}/login")
    page.get_by_label("E-mail").fill(stack.owner_email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("body")).to_have_attribute("data-live", "live")
    page.evaluate("window.__loadedAt = performance.timeOrigin")

    visitor = Visitor.open(stack.gateway, ORIGIN, stack.bot_key, name="Katherine Johnson")
    visitor.send("How do I reset my password?")
    page.locator(f'.thread-row[data-thread-id="{visitor.thread_id}"]').click()
    expect(page.locator(".msg-ai")).to_have_count(1)

    second_replica.kill("inbox", signal.SIGKILL)  # the page's connection drops
    expect(page.locator("body")).to_have_attribute("data-live", "reconnecting")
    reply = httpx.post(
        f"{stack.inbox}/v1/threads/{visitor.thread_id}/messages",
        json={"text": "Hi Katherine, a colleague here while you were away."},
        headers=bearer(stack.owner_token),
    )
    assert reply.status_code == 202
    visitor.send("Thanks, that worked!")
    stored = wait_stored(stack, visitor.thread_id, 4)

    second_replica.start("inbox")
    second_replica.wait_ready("inbox")
    expect(page.locator("body")).to_have_attribute("data-live", "live", timeout=30000)
    expect(page.locator(".msg-staff")).to_contain_text("while you were away")
    expect(page.locator(".msg-visitor").last).to_contain_text("that worked")
    shown = page.locator(".msg").evaluate_all("nodes => nodes.map(n => n.dataset.messageId)")
    assert shown == [m["id"] for m in stored]  # each once, in log order
    assert page.evaluate("window.__loadedAt === performance.timeOrigin")  # no reload
