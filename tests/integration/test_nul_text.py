"""U+0000 in text: refused at the edges with a 422 naming the field, and one already in the
log (written before the edges refused it) is stored with U+FFFD in its place instead of
holding up its partition. Found by exploratory testing: a pasted NUL was accepted with a 202,
then every write of it failed in PostgreSQL's jsonb (under the local FerretDB), retried for
ever, and each later thread of its partition never reached the inbox."""

import asyncio
import uuid

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from baton_events import VisitorMessageReceived, encode_event, event_key
from tests.integration.conftest import DEMO_ORIGIN, Seeded
from tests.integration.test_escalations import wait_for
from tests.support.infra import infra
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration


def test_text_holding_a_nul_is_refused_with_the_field_named(seeded: Seeded) -> None:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key, name="Nul Sender")
    sent = visitor.send("before\u0000after")
    assert sent.status_code == 422, sent.text
    assert sent.json()["error"]["field"] == "text"
    assert "U+0000" in sent.json()["error"]["message"]

    opened = httpx.post(
        f"{seeded.gateway}/v1/widget/sessions",
        json={"bot_key": seeded.bot_key, "visitor": {"name": "Ada\u0000"}},
        headers={"Origin": DEMO_ORIGIN},
    )
    assert opened.status_code == 422, opened.text
    assert opened.json()["error"]["field"] == "visitor"

    staff = {"Authorization": f"Bearer {seeded.staff_token}"}
    reply = httpx.post(
        f"{seeded.inbox}/v1/threads/{visitor.thread_id}/messages",
        json={"text": "hi\u0000"},
        headers=staff,
    )
    assert reply.status_code == 422, reply.text
    assert reply.json()["error"]["field"] == "text"
    assert visitor.history() == []


async def _write_to_the_log(seeded: Seeded, event: VisitorMessageReceived) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=infra().kafka_bootstrap, acks="all")
    await producer.start()
    try:
        topic = f"{seeded.system.name}.conversation.events"
        await producer.send_and_wait(topic, encode_event(event), key=event_key(event))
    finally:
        await producer.stop()


def test_a_nul_already_in_the_log_is_stored_replaced_and_holds_up_nothing(
    seeded: Seeded,
) -> None:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key, name="Old Log")
    poisoned = VisitorMessageReceived(
        thread_id=visitor.thread_id,
        account_id=seeded.account_id,
        bot_id=seeded.bot_id,
        message_id=str(uuid.uuid4()),
        client_message_id=str(uuid.uuid4()),
        text="before\u0000after",
    )
    asyncio.run(_write_to_the_log(seeded, poisoned))
    # The same thread's next message (same partition, after it in the log) gets through.
    assert visitor.send("How do I import my contacts?").status_code == 202

    visible = wait_for(lambda: len(visitor.history()) >= 3 and visitor.history(), timeout=30)
    assert [m["author"] for m in visible[:2]] == ["visitor", "visitor"]
    assert visible[0]["text"] == "before\ufffdafter"
    assert any(m["author"] == "ai" and m["sources"] for m in visible)

    staff = {"Authorization": f"Bearer {seeded.staff_token}"}

    def staff_view() -> list[dict[str, object]]:
        answer = httpx.get(f"{seeded.inbox}/v1/threads/{visitor.thread_id}", headers=staff)
        if answer.status_code != 200:
            return []
        messages: list[dict[str, object]] = answer.json()["messages"]
        return messages if len(messages) >= 3 else []

    messages = wait_for(staff_view, timeout=30)
    assert messages[0]["text"] == "before\ufffdafter"
