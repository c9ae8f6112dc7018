"""Deleting a bot through the inbox (DELETE /v1/bots/{id}): its knowledge goes from the real
ingest service and Chroma, its document from MongoDB, and BotChanged ("deleted") makes the
gateway refuse its key and its visitors' tokens at once; its threads stay in the inbox."""

import asyncio
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from baton_retrieval.store import KnowledgeStore
from tests.support.inbox_harness import MailSink, bearer, invite_and_accept_on, sign_up
from tests.support.infra import infra
from tests.support.ingest_api import inbox_with_ingest, service_client, until_ended
from tests.support.isolated import IsolatedSystem
from tests.support.site import Site, serve_site, write_slow_site
from tests.support.waiting import eventually as wait_until
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration

ORIGIN = "http://shop.test:9999"
# The gateway keeps a bot for an hour: a deleted bot can only vanish within seconds through
# the BotChanged event, never through its cache running out.
LONG_TTL = "3600"
PROMPTLY = 10.0
T = TypeVar("T")


@dataclass
class Stack:
    system: IsolatedSystem
    sink: MailSink

    @property
    def inbox(self) -> str:
        return self.system.url("inbox")

    @property
    def gateway(self) -> str:
        return self.system.url("gateway")


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    """An inbox with its own ingest process, mail sink and gateway."""
    sink = MailSink.start(Path(tempfile.mkdtemp(prefix="baton-bot-delete-")) / "mail")
    try:
        with inbox_with_ingest(
            BATON_INBOX_SMTP_PORT=str(sink.port), BATON_GATEWAY_BOT_CACHE_SECONDS=LONG_TTL
        ) as system:
            system.start("gateway")
            system.wait_ready("gateway")
            yield Stack(system, sink)
    finally:
        sink.stop()


def eventually(read: Callable[[], T], holds: Callable[[T], bool], within: float = PROMPTLY) -> T:
    return wait_until(read, holds, within)


def new_bot(stack: Stack, owner: dict[str, str]) -> dict[str, Any]:
    created = httpx.post(f"{stack.inbox}/v1/bots", json={"name": "Doomed help"}, headers=owner)
    assert created.status_code == 201, created.text
    bot: dict[str, Any] = created.json()
    changed = httpx.patch(
        f"{stack.inbox}/v1/bots/{bot['id']}", json={"allowed_origins": [ORIGIN]}, headers=owner
    )
    assert changed.status_code == 200, changed.text
    return bot


def finished(bot_url: str, owner: dict[str, str], job: dict[str, Any]) -> dict[str, Any]:
    return until_ended(
        job, lambda job_id: httpx.get(f"{bot_url}/jobs/{job_id}", headers=owner).json()
    )


def upload_page(bot_url: str, owner: dict[str, str]) -> None:
    started = httpx.post(
        f"{bot_url}/uploads",
        data={"base_url": "https://docs.example.test/", "name": "manual"},
        files=[("files", ("reset.md", b"# Resetting\n\nHold the button.", "text/markdown"))],
        headers=owner,
        timeout=30,
    )
    assert started.status_code == 202, started.text
    assert finished(bot_url, owner, started.json())["state"] == "succeeded"


def collections_exist(bot_id: str) -> tuple[bool, bool]:
    """Whether Chroma holds the bot's chunks and its page titles."""

    async def read() -> tuple[bool, bool]:
        store = await KnowledgeStore.connect(infra().chroma_host, infra().chroma_port)
        return await store.exists(bot_id), await store.titles.exists(bot_id)

    return asyncio.run(read())


def widget_status(stack: Stack, bot_key: str) -> int:
    response = httpx.get(f"{stack.gateway}/v1/widget/bots/{bot_key}", headers={"Origin": ORIGIN})
    return response.status_code


def test_a_deleted_bot_loses_its_knowledge_and_widget_and_keeps_its_threads(
    stack: Stack,
) -> None:
    _, token = sign_up(stack.inbox)
    owner = bearer(token)
    bot = new_bot(stack, owner)
    bot_url = f"{stack.inbox}/v1/bots/{bot['id']}"
    upload_page(bot_url, owner)
    assert collections_exist(bot["id"]) == (True, True)
    # The gateway reads the bot by key and by id (the visitor token) and caches both.
    visitor = Visitor.open(stack.gateway, ORIGIN, bot["bot_key"], name="Robin")
    assert visitor.send("How do I reset it?").status_code == 202
    thread_url = f"{stack.inbox}/v1/threads/{visitor.thread_id}"
    eventually(lambda: httpx.get(thread_url, headers=owner).status_code, lambda s: s == 200)

    deleted = httpx.delete(bot_url, headers=owner, timeout=30)
    assert deleted.status_code == 204, deleted.text
    assert deleted.content == b""

    # The inbox: gone from the account, and a second delete finds nothing.
    assert httpx.get(bot_url, headers=owner).status_code == 404
    assert httpx.get(f"{stack.inbox}/v1/bots", headers=owner).json() == {"bots": []}
    again = httpx.delete(bot_url, headers=owner)
    assert again.status_code == 404 and again.json()["error"]["code"] == "bot_not_found"

    # The ingest service: no sources, no jobs, and no Chroma collection (listing the
    # sources did not create one again).
    with service_client(stack.system) as ingest:
        assert ingest.get(f"/v1/bots/{bot['id']}/sources").json() == {"sources": []}
        assert ingest.get(f"/v1/bots/{bot['id']}/ingest/jobs").json() == {"jobs": []}
    assert collections_exist(bot["id"]) == (False, False)

    # The gateway dropped its hour-long copy on the event: the key is unknown, as any is.
    eventually(lambda: widget_status(stack, bot["bot_key"]), lambda s: s == 404)
    unknown = httpx.get(
        f"{stack.gateway}/v1/widget/bots/{bot['bot_key']}", headers={"Origin": ORIGIN}
    ).json()["error"]
    assert unknown["code"] == "unknown_bot"
    session = httpx.post(
        f"{stack.gateway}/v1/widget/sessions",
        json={"bot_key": bot["bot_key"], "visitor": {}},
        headers={"Origin": ORIGIN},
    )
    assert session.status_code == 404 and session.json()["error"]["code"] == "unknown_bot"
    # The visitor's token still carries the bot: refused with a 401, never a 500.
    thread = f"{stack.gateway}/v1/widget/threads/{visitor.thread_id}"
    for response in (
        visitor.send("Are you there?"),
        httpx.get(f"{thread}/messages", headers=visitor.headers),
        httpx.get(f"{thread}/stream", headers=visitor.headers),
        httpx.get(f"{thread}/stream", params={"token": visitor.token}, headers={"Origin": ORIGIN}),
    ):
        assert response.status_code == 401, (response.request.url, response.text)
        assert response.json()["error"]["code"] == "invalid_token"

    # The inbox keeps the conversation: it reads, lists and takes a reply as before.
    kept = httpx.get(thread_url, headers=owner)
    assert kept.status_code == 200, kept.text
    assert "How do I reset it?" in kept.text
    listed = httpx.get(f"{stack.inbox}/v1/threads", headers=owner).json()
    assert visitor.thread_id in str(listed)
    reply = httpx.post(f"{thread_url}/messages", json={"text": "Still here."}, headers=owner)
    assert reply.status_code == 202, reply.text


@pytest.fixture(scope="module")
def slow_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serve_site(tmp_path_factory.mktemp("slow"), write_slow_site) as served:
        yield served


def test_a_bot_is_not_deleted_while_an_ingest_job_reads_into_it(
    stack: Stack, slow_site: Site
) -> None:
    _, token = sign_up(stack.inbox)
    owner = bearer(token)
    bot = new_bot(stack, owner)
    bot_url = f"{stack.inbox}/v1/bots/{bot['id']}"
    # Four pages, a second apart (the site's Crawl-delay): the job runs for seconds.
    started = httpx.post(
        f"{bot_url}/sources",
        json={"kind": "crawl", "url": f"{slow_site.base}/docs/", "max_pages": 4},
        headers=owner,
        timeout=30,
    )
    assert started.status_code == 202, started.text

    refused = httpx.delete(bot_url, headers=owner, timeout=30)
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["code"] == "job_running"
    assert "ends" in refused.json()["error"]["message"]
    assert httpx.get(bot_url, headers=owner).status_code == 200  # nothing was deleted
    assert widget_status(stack, bot["bot_key"]) == 200

    job = finished(bot_url, owner, started.json())
    assert job["state"] == "succeeded", job
    assert httpx.get(f"{bot_url}/sources", headers=owner).json()["sources"]  # its pages stayed
    assert httpx.delete(bot_url, headers=owner, timeout=30).status_code == 204
    assert collections_exist(bot["id"]) == (False, False)


def test_an_agent_may_not_delete_a_bot(stack: Stack) -> None:
    _, token = sign_up(stack.inbox)
    owner = bearer(token)
    bot = new_bot(stack, owner)
    _, agent = invite_and_accept_on(stack.inbox, stack.sink, token, role="agent")
    bot_url = f"{stack.inbox}/v1/bots/{bot['id']}"
    refused = httpx.delete(bot_url, headers=bearer(agent))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert httpx.get(bot_url, headers=bearer(agent)).status_code == 200  # still there


def test_another_accounts_bot_cannot_be_deleted(stack: Stack) -> None:
    _, token = sign_up(stack.inbox)
    bot = new_bot(stack, bearer(token))
    _, stranger = sign_up(stack.inbox)
    bot_url = f"{stack.inbox}/v1/bots/{bot['id']}"
    refused = httpx.delete(bot_url, headers=bearer(stranger))
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "bot_not_found"
    assert httpx.get(bot_url, headers=bearer(token)).status_code == 200
    assert widget_status(stack, bot["bot_key"]) == 200
