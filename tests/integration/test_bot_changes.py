"""A bot's settings changed through the inbox reach the gateway and the agent at once, over
bots.events (BotChanged), on every replica, and the handoff with the next takeover (the
inbox puts the idle time in force on the teammate's message).

Every service here caches bot settings for an hour (BATON_*_BOT_CACHE_SECONDS), and each test
first makes the service read (and cache) the old settings, so a change can only show within
seconds through the event, never through the cache running out."""

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

import httpx
import pytest
from pymongo import MongoClient

from tests.support.inbox_harness import bearer
from tests.support.infra import infra
from tests.support.isolated import ROOT, IsolatedSystem, free_port, run_json
from tests.support.waiting import eventually as wait_until
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration

ORIGIN = "http://shop.test:9999"
OTHER_ORIGIN = "http://other-shop.test:9999"
PASSWORD = "bot-changes-secret-1"
LONG_TTL = "3600"
# The event reaches every replica in well under a second; the cache would take an hour.
PROMPTLY = 10.0

T = TypeVar("T")


@dataclass
class Stack:
    system: IsolatedSystem
    replica: IsolatedSystem  # a second gateway on the same topics, database and Redis
    email: str
    token: str

    @property
    def inbox(self) -> str:
        return self.system.url("inbox")

    @property
    def gateways(self) -> tuple[str, str]:
        return self.system.url("gateway"), self.replica.url("gateway")


def seed(system: IsolatedSystem, email: str, bot_key: str, *origins: str) -> dict[str, Any]:
    return run_json(
        str(ROOT / ".venv/bin/baton-inbox-admin"), "seed-demo",
        "--account-name", "Bot changes", "--email", email, "--password", PASSWORD,
        "--bot-key", bot_key, *[arg for origin in origins for arg in ("--allowed-origin", origin)],
        env=system.env,
    )  # fmt: skip


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    overrides = {
        "BATON_GATEWAY_BOT_CACHE_SECONDS": LONG_TTL,
        "BATON_AGENT_BOT_CACHE_SECONDS": LONG_TTL,
        "BATON_HANDOFF_HANDBACK_IDLE_SECONDS": "600",
    }
    system = IsolatedSystem(overrides=overrides)
    replica = IsolatedSystem(name=system.name, overrides=dict(overrides))
    replica.log_dir = system.log_dir / "replica"
    replica.log_dir.mkdir(exist_ok=True)
    replica.ports["gateway"] = free_port()
    try:
        system.start_all()
        replica.start("gateway")
        replica.wait_ready("gateway")
        email = f"owner-{system.name}@example.test"
        seed(system, email, f"seed-{system.name}", ORIGIN)
        login = httpx.post(
            f"{system.url('inbox')}/v1/auth/login", json={"email": email, "password": PASSWORD}
        )
        login.raise_for_status()
        yield Stack(system, replica, email, login.json()["token"])
    finally:
        replica.stop_all()
        system.discard()


def eventually(read: Callable[[], T], holds: Callable[[T], bool], within: float = PROMPTLY) -> T:
    return wait_until(read, holds, within)


def new_bot(stack: Stack, **settings: Any) -> dict[str, Any]:
    """A bot made and set up the way an admin does it on the Bots page."""
    created = httpx.post(
        f"{stack.inbox}/v1/bots", json={"name": "Changes"}, headers=bearer(stack.token)
    )
    assert created.status_code == 201, created.text
    bot: dict[str, Any] = created.json()
    change(stack, bot["id"], allowed_origins=[ORIGIN], **settings)
    return bot


def evictions(stack: Stack, service: str, bot_id: str, replica: bool = False) -> int:
    """How often the service's log (or the second gateway's) says it dropped this bot from
    its cache."""
    log = (stack.replica if replica else stack.system).log_dir / f"{service}.log"
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    return sum(1 for line in lines if "bot_cache_evicted" in line and bot_id in line)


def settled_on_every_gateway(stack: Stack, bot_id: str, announced: int) -> None:
    """Waits until both gateways have dropped the bot for each of its `announced` changes, so
    that a late eviction cannot pass for a cache running out."""
    for replica in (False, True):
        seen = partial(evictions, stack, "gateway", bot_id, replica)
        eventually(seen, lambda n: n >= announced)


def change_seen_by(stack: Stack, service: str, bot_id: str, **settings: Any) -> None:
    """Changes the bot and waits until `service` has dropped it from its cache."""
    seen = evictions(stack, service, bot_id)
    change(stack, bot_id, **settings)
    eventually(lambda: evictions(stack, service, bot_id), lambda n: n > seen)


def change(stack: Stack, bot_id: str, **settings: Any) -> None:
    response = httpx.patch(
        f"{stack.inbox}/v1/bots/{bot_id}", json=settings, headers=bearer(stack.token)
    )
    assert response.status_code == 200, response.text


def profile(gateway: str, bot_key: str, origin: str = ORIGIN) -> httpx.Response:
    return httpx.get(f"{gateway}/v1/widget/bots/{bot_key}", headers={"Origin": origin})


def status_of(gateway: str, bot_key: str) -> int:
    return profile(gateway, bot_key).status_code


def greeting(gateway: str, bot_key: str) -> str | None:
    response = profile(gateway, bot_key)
    assert response.status_code == 200, response.text
    value: str | None = response.json()["greeting"]
    return value


def test_a_changed_greeting_and_origins_show_on_every_gateway_replica(stack: Stack) -> None:
    bot = new_bot(stack, greeting="Hello!")
    settled_on_every_gateway(stack, bot["id"], announced=2)  # created, then set up
    for gateway in stack.gateways:  # each replica reads the bot once and caches it for an hour
        assert greeting(gateway, bot["bot_key"]) == "Hello!"
        assert profile(gateway, bot["bot_key"], OTHER_ORIGIN).status_code == 403
    # The control: a write that announces nothing stays unseen behind the hour-long cache.
    client: MongoClient[dict[str, Any]] = MongoClient(infra().mongo_url)
    with client as mongo:
        bots = mongo[stack.system.mongo_db]["bots"]
        bots.update_one({"_id": bot["id"]}, {"$set": {"greeting": "Unannounced"}})
    time.sleep(1.0)
    assert [greeting(gateway, bot["bot_key"]) for gateway in stack.gateways] == ["Hello!"] * 2

    change(stack, bot["id"], greeting="Welcome back!", allowed_origins=[ORIGIN, OTHER_ORIGIN])
    for gateway in stack.gateways:
        eventually(partial(greeting, gateway, bot["bot_key"]), lambda g: g == "Welcome back!")
        assert profile(gateway, bot["bot_key"], OTHER_ORIGIN).status_code == 200

    change(stack, bot["id"], allowed_origins=[OTHER_ORIGIN])  # a site taken off the list
    for gateway in stack.gateways:
        eventually(partial(status_of, gateway, bot["bot_key"]), lambda s: s == 403)


def test_the_seed_command_announces_the_bot_it_creates_and_changes(stack: Stack) -> None:
    bot_key = f"seeded-{uuid.uuid4().hex[:8]}"
    gateway = stack.gateways[0]
    assert profile(gateway, bot_key).status_code == 404  # "no such bot" is cached as well
    seed(stack.system, stack.email, bot_key, ORIGIN)
    eventually(lambda: profile(gateway, bot_key).status_code, lambda s: s == 200)

    seed(stack.system, stack.email, bot_key, OTHER_ORIGIN)
    eventually(lambda: profile(gateway, bot_key).status_code, lambda s: s == 403)
    assert profile(gateway, bot_key, OTHER_ORIGIN).status_code == 200


def thread_of(stack: Stack, thread_id: str) -> dict[str, Any] | None:
    response = httpx.get(f"{stack.inbox}/v1/threads/{thread_id}", headers=bearer(stack.token))
    return response.json() if response.status_code == 200 else None


def escalation_of(stack: Stack, visitor: Visitor) -> str | None:
    """Why the agent handed the thread over, once it has."""
    found = eventually(
        lambda: thread_of(stack, visitor.thread_id),
        lambda t: t is not None and t.get("escalation_reason") is not None,
        within=30,
    )
    assert found is not None
    reason: str | None = found["escalation_reason"]
    return reason


def test_a_new_sensitive_topic_reaches_the_agent_at_once(stack: Stack) -> None:
    """The bot has no docs: a question about exports is out of its docs, until "export"
    becomes one of its sensitive topics."""
    bot = new_bot(stack)
    question = "How do I export my deals to a CSV file?"
    before = Visitor.open(stack.gateways[0], ORIGIN, bot["bot_key"])
    before.send(question)  # the agent reads the bot's topics and caches them for an hour
    assert escalation_of(stack, before) == "out_of_docs"

    change_seen_by(stack, "agent", bot["id"], sensitive_topics=["export"])
    after = Visitor.open(stack.gateways[0], ORIGIN, bot["bot_key"])
    after.send(question)
    assert escalation_of(stack, after) == "sensitive_topic"


def staff_takes_over(stack: Stack, visitor: Visitor) -> datetime:
    """A teammate replies; returns the hand-back deadline the handoff set."""
    eventually(lambda: thread_of(stack, visitor.thread_id), lambda t: t is not None)
    url = f"{stack.inbox}/v1/threads/{visitor.thread_id}/messages"
    reply = httpx.post(url, json={"text": "Here."}, headers=bearer(stack.token))
    assert reply.status_code == 202, reply.text
    found = eventually(
        lambda: thread_of(stack, visitor.thread_id),
        lambda t: t is not None and t.get("handback_deadline") is not None,
    )
    assert found is not None
    return datetime.fromisoformat(found["handback_deadline"])


def test_a_new_handback_idle_time_applies_from_the_next_takeover(stack: Stack) -> None:
    bot = new_bot(stack)
    first = Visitor.open(stack.gateways[0], ORIGIN, bot["bot_key"])
    first.send("hello")
    # The bot has no idle time of its own: the handoff's default (600 s) applies.
    deadline = staff_takes_over(stack, first)
    assert (deadline - datetime.now(UTC)).total_seconds() > 500

    change(stack, bot["id"], handback_idle_seconds=90)
    second = Visitor.open(stack.gateways[0], ORIGIN, bot["bot_key"])
    second.send("hello again")
    deadline = staff_takes_over(stack, second)
    assert 30 < (deadline - datetime.now(UTC)).total_seconds() <= 90
