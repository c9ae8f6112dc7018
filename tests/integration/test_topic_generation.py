"""Growing the conversation topic's partitions (docs/operations.md, "Growing the partitions"):
every service stops, then starts at the next topic generation with more partitions. A live
thread keeps its order, its owner and its history, and a consumer that stopped with a backlog
in the old generation finishes it before reading the new one."""

import asyncio
import signal
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from baton_events import Topics
from tests.integration.conftest import DEMO_ORIGIN, STAFF_PASSWORD
from tests.support.infra import infra
from tests.support.isolated import ROOT, IsolatedSystem, run_json
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration
OLD_PARTITIONS, NEW_PARTITIONS = 6, 12


def _wait(what: str, check: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _inbox_messages(system: IsolatedSystem, thread_id: str, token: str) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{system.url('inbox')}/v1/threads/{thread_id}",
        headers={"Authorization": f"Bearer {token}"},
    )
    if response.status_code != 200:
        return []
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def _mode(system: IsolatedSystem, thread_id: str) -> str:
    response = httpx.get(f"{system.url('handoff')}/v1/threads/{thread_id}/mode")
    return str(response.json().get("mode")) if response.status_code == 200 else "ai"


async def _partitions(topic: str) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=infra().kafka_bootstrap)
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
        return len(described["partitions"])
    finally:
        await admin.close()


def test_a_live_thread_moves_to_a_topic_with_more_partitions() -> None:
    system = IsolatedSystem(
        overrides={
            "BATON_HANDOFF_HANDBACK_IDLE_SECONDS": "600",
            "BATON_CONVERSATION_PARTITIONS": str(OLD_PARTITIONS),
        }
    )
    system.start_all()
    try:
        suffix = uuid.uuid4().hex[:8]
        email, bot_key = f"owner-{suffix}@example.test", f"bot-{suffix}"
        ids: dict[str, Any] = run_json(
            str(ROOT / ".venv/bin/baton-inbox-admin"), "seed-demo",
            "--account-name", f"acct-{suffix}", "--email", email,
            "--password", STAFF_PASSWORD, "--bot-key", bot_key,
            "--allowed-origin", DEMO_ORIGIN, env=system.env,
        )  # fmt: skip
        system.ingest(ids["bot_id"], "https://help.orbit.test")
        token = httpx.post(
            f"{system.url('inbox')}/v1/auth/login",
            json={"email": email, "password": STAFF_PASSWORD},
        ).json()["token"]
        staff = {"Authorization": f"Bearer {token}"}
        visitor = Visitor.open(system.url("gateway"), DEMO_ORIGIN, bot_key)
        thread = visitor.thread_id

        assert visitor.send("How do I import my contacts?").status_code == 202
        _wait("the AI answer", lambda: [m["author"] for m in visitor.history()][-1:] == ["ai"])
        _wait("the inbox thread", lambda: len(_inbox_messages(system, thread, token)) == 2)
        reply = httpx.post(
            f"{system.url('inbox')}/v1/threads/{thread}/messages",
            json={"text": "Hi, Alex here."},
            headers=staff,
        )
        assert reply.status_code == 202
        _wait("the takeover", lambda: _mode(system, thread) == "human")
        _wait("the reply in the inbox", lambda: len(_inbox_messages(system, thread, token)) == 3)

        # The inbox stops first: its group keeps a backlog in the old generation.
        system.kill("inbox", signal.SIGTERM)
        assert visitor.send("Are you still there?").status_code == 202
        _wait("the visitor's message", lambda: len(visitor.history()) == 4)
        system.stop_all()

        system.overrides.update(
            {
                "BATON_CONVERSATION_TOPIC_GENERATION": "1",
                "BATON_CONVERSATION_PARTITIONS": str(NEW_PARTITIONS),
            }
        )
        for service in ("gateway", "handoff", "agent"):
            system.start(service)
        system.wait_ready("gateway", "handoff", "agent")
        assert visitor.send("How do I export my deals?").status_code == 202
        _wait("the new message", lambda: len(visitor.history()) == 5)
        time.sleep(2.0)  # the agent answers within a second when it answers at all
        history = visitor.history()
        assert [m["author"] for m in history] == ["visitor", "ai", "staff", "visitor", "visitor"]
        assert _mode(system, thread) == "human"

        system.start("inbox")
        system.wait_ready("inbox")
        _wait("the inbox backlog", lambda: len(_inbox_messages(system, thread, token)) == 5)
        folded = _inbox_messages(system, thread, token)
        assert [m["text"] for m in folded[3:]] == [
            "Are you still there?",
            "How do I export my deals?",
        ]
        assert folded[3]["position"] < 1 << 40 <= folded[4]["position"]

        # The hand-back answers the question left open, from the new generation.
        back = httpx.post(f"{system.url('inbox')}/v1/threads/{thread}/handback", headers=staff)
        assert back.status_code == 202
        _wait(
            "the AI's answer after the hand-back",
            lambda: [m["author"] for m in visitor.history()][-1:] == ["ai"],
        )
        assert "export" in visitor.history()[-1]["text"].lower()
        _wait("the answer in the inbox", lambda: len(_inbox_messages(system, thread, token)) == 6)
        positions = [m["position"] for m in _inbox_messages(system, thread, token)]
        assert positions == sorted(positions)

        grown = Topics(prefix=f"{system.name}.", generation=1)
        assert asyncio.run(_partitions(grown.conversation_events)) == NEW_PARTITIONS
        assert asyncio.run(_partitions(f"{system.name}.conversation.events")) == OLD_PARTITIONS
    finally:
        system.discard()
