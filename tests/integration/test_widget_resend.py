"""A send retried after the gateway died between claiming and publishing it is delivered,
once."""

import asyncio
import time
import uuid

import pytest
import redis

from baton_contracts import redis_keys
from baton_events import VisitorMessageReceived
from baton_gateway.domain import visitor_message_id
from tests.integration.conftest import DEMO_ORIGIN, Seeded
from tests.support.infra import infra
from tests.support.log_reader import read_topic
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration


def test_retry_after_a_crash_mid_send_is_published_once(seeded: Seeded) -> None:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
    client_id = str(uuid.uuid4())
    message_id = visitor_message_id(visitor.thread_id, client_id)
    prefix = seeded.system.env["BATON_REDIS_PREFIX"]
    with redis.Redis.from_url(infra().redis_url) as client:
        # What a gateway SIGKILLed after claiming the send, before publishing it, leaves.
        client.set(redis_keys.visitor_send(prefix, message_id), "pending", ex=60)

    retried = visitor.send("How do I export my deals?", client_id)
    assert retried.status_code == 202 and retried.json()["message_id"] == message_id
    deadline = time.monotonic() + 15
    while [m["author"] for m in visitor.history()] != ["visitor", "ai"]:
        assert time.monotonic() < deadline, visitor.history()
        time.sleep(0.1)
    again = visitor.send("How do I export my deals?", client_id)
    assert again.status_code == 202 and again.json()["message_id"] == message_id
    # Projections drop a repeated id, so only the log shows whether it was published twice.
    log = asyncio.run(read_topic(f"{seeded.system.name}.conversation.events"))
    published = [
        event
        for _, event in log[visitor.thread_id]
        if isinstance(event, VisitorMessageReceived) and event.message_id == message_id
    ]
    assert len(published) == 1
