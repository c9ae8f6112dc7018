"""Growing the conversation topic's partitions (docs/operations.md, "Growing the partitions"):
every service stops, then starts at the next topic generation with more partitions. A live
thread keeps its order, its owner and its history, and a consumer that stopped with a backlog
in the old generation finishes it before reading the new one."""

import asyncio
import signal
import time
from typing import Any

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from baton_events import Topics
from tests.integration.conftest import DEMO_ORIGIN, Seeded, seed_demo_account
from tests.integration.test_handoff_flow import mode_of, staff_post, wait_mode
from tests.support.infra import infra
from tests.support.isolated import IsolatedSystem
from tests.support.waiting import eventually
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration
OLD_PARTITIONS, NEW_PARTITIONS = 6, 12
WITHIN = 30.0


def _inbox_messages(seeded: Seeded, thread_id: str) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{seeded.inbox}/v1/threads/{thread_id}",
        headers={"Authorization": f"Bearer {seeded.staff_token}"},
    )
    if response.status_code != 200:
        return []
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def _authors(visitor: Visitor) -> list[str]:
    return [m["author"] for m in visitor.history()]


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
        seeded = seed_demo_account(system)
        visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
        thread = visitor.thread_id

        def inbox_count() -> int:
            return len(_inbox_messages(seeded, thread))

        assert visitor.send("How do I import my contacts?").status_code == 202
        eventually(lambda: _authors(visitor)[-1:], lambda a: a == ["ai"], WITHIN)
        eventually(inbox_count, lambda n: n == 2, WITHIN)
        assert (
            staff_post(seeded, f"{thread}/messages", {"text": "Hi, Alex here."}).status_code == 202
        )
        wait_mode(seeded, thread, "human", timeout=WITHIN)
        eventually(inbox_count, lambda n: n == 3, WITHIN)

        # The inbox stops first: its group keeps a backlog in the old generation.
        system.kill("inbox", signal.SIGTERM)
        assert visitor.send("Are you still there?").status_code == 202
        eventually(lambda: len(visitor.history()), lambda n: n == 4, WITHIN)
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
        eventually(lambda: len(visitor.history()), lambda n: n == 5, WITHIN)
        time.sleep(2.0)  # the agent answers within a second when it answers at all
        assert _authors(visitor) == ["visitor", "ai", "staff", "visitor", "visitor"]
        assert mode_of(seeded, thread) == "human"

        system.start("inbox")
        system.wait_ready("inbox")
        eventually(inbox_count, lambda n: n == 5, WITHIN)
        folded = _inbox_messages(seeded, thread)
        assert [m["text"] for m in folded[3:]] == [
            "Are you still there?",
            "How do I export my deals?",
        ]
        assert folded[3]["position"] < 1 << 40 <= folded[4]["position"]

        # The hand-back answers the question left open, from the new generation.
        assert staff_post(seeded, f"{thread}/handback").status_code == 202
        eventually(lambda: _authors(visitor)[-1:], lambda a: a == ["ai"], WITHIN)
        assert "export" in visitor.history()[-1]["text"].lower()
        eventually(inbox_count, lambda n: n == 6, WITHIN)
        positions = [m["position"] for m in _inbox_messages(seeded, thread)]
        assert positions == sorted(positions)

        grown = Topics(prefix=f"{system.name}.", generation=1)
        assert asyncio.run(_partitions(grown.conversation_events)) == NEW_PARTITIONS
        assert asyncio.run(_partitions(f"{system.name}.conversation.events")) == OLD_PARTITIONS
    finally:
        system.discard()
