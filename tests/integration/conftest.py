"""Integration fixtures: an isolated copy of the services on the real servers `make` starts."""

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from pymongo import MongoClient

from baton_retrieval.store import KnowledgeStore
from tests.support.infra import infra
from tests.support.isolated import ROOT, IsolatedSystem, run_json
from tests.support.site import Site, serve_site

DEMO_ORIGIN = "http://demo.test:9999"
STAFF_PASSWORD = "integration-secret-1"


@dataclass
class Seeded:
    system: IsolatedSystem
    bot_key: str
    bot_id: str
    account_id: str
    staff_email: str
    staff_token: str

    @property
    def gateway(self) -> str:
        return self.system.url("gateway")

    @property
    def inbox(self) -> str:
        return self.system.url("inbox")


def _seed(system: IsolatedSystem, bot_key: str, email: str, origin: str) -> dict[str, Any]:
    return run_json(
        str(ROOT / ".venv/bin/baton-inbox-admin"),
        "seed-demo",
        "--account-name",
        f"acct-{bot_key}",
        "--email",
        email,
        "--password",
        STAFF_PASSWORD,
        "--bot-key",
        bot_key,
        "--allowed-origin",
        origin,
        env=system.env,
    )


def _login(inbox_url: str, email: str) -> str:
    response = httpx.post(
        f"{inbox_url}/v1/auth/login", json={"email": email, "password": STAFF_PASSWORD}
    )
    response.raise_for_status()
    token: str = response.json()["token"]
    return token


@pytest.fixture(scope="session")
def system() -> Iterator[IsolatedSystem]:
    isolated = IsolatedSystem(overrides={"BATON_HANDOFF_HANDBACK_IDLE_SECONDS": "600"})
    isolated.start_all()
    yield isolated
    isolated.discard()


@pytest.fixture(scope="session")
def seeded(system: IsolatedSystem) -> Seeded:
    return seed_demo_account(system)


def seed_demo_account(system: IsolatedSystem) -> Seeded:
    """An account with an owner who is logged in, and a bot that knows the demo help center."""
    suffix = uuid.uuid4().hex[:8]
    email = f"owner-{suffix}@example.test"
    ids = _seed(system, f"bot-{suffix}", email, DEMO_ORIGIN)
    system.ingest(ids["bot_id"], "https://help.orbit.test")
    return Seeded(
        system,
        f"bot-{suffix}",
        str(ids["bot_id"]),
        str(ids["account_id"]),
        email,
        _login(system.url("inbox"), email),
    )


@pytest.fixture(scope="session")
def other_account(system: IsolatedSystem) -> Seeded:
    """A second tenant, to prove one account never sees another's threads."""
    return seed_account(system, "other", "http://other.test")


def seed_account(system: IsolatedSystem, prefix: str, origin: str) -> Seeded:
    """An account with a logged-in owner and a bot that knows nothing yet."""
    suffix = uuid.uuid4().hex[:8]
    email = f"{prefix}-{suffix}@example.test"
    ids = _seed(system, f"{prefix}-{suffix}", email, origin)
    return Seeded(
        system,
        f"{prefix}-{suffix}",
        str(ids["bot_id"]),
        str(ids["account_id"]),
        email,
        _login(system.url("inbox"), email),
    )


@pytest.fixture
def mongo(system: IsolatedSystem) -> Any:
    client: MongoClient[dict[str, Any]] = MongoClient(infra().mongo_url, tz_aware=True)
    yield client[system.mongo_db]
    client.close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """A small help site served on 127.0.0.1 (pages, a sitemap, robots.txt)."""
    with serve_site(tmp_path / "site") as served:
        yield served


@pytest.fixture
def bot_id() -> Iterator[str]:
    """A throwaway bot id whose Chroma collections are dropped afterwards."""
    bot = f"test-{uuid.uuid4().hex[:8]}"
    yield bot

    async def drop() -> None:
        await (await KnowledgeStore.connect(infra().chroma_host, infra().chroma_port)).drop_bot(bot)

    asyncio.run(drop())
