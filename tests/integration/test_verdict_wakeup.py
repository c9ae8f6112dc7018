"""The agent's wait for the handoff's verdict on a message, against the real Redis: the
handoff's write wakes the waiting agent; it never has to sit out its whole wait."""

import asyncio
import uuid
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from redis.asyncio import Redis

from baton_agent.adapters.mode_reader import ModeReader
from baton_contracts import redis_keys
from baton_events import ThreadMode
from baton_handoff.adapters.mode_store import ModeStore
from baton_handoff.domain import ModeState
from baton_runtime.pubsub_hub import PubSubHub
from tests.support.infra import infra

pytestmark = pytest.mark.integration
# Far longer than the test may take: only the wake-up can end the wait in time.
VERY_LONG_WAIT = 600.0


async def test_the_handoffs_verdict_wakes_the_waiting_agent() -> None:
    prefix = f"verdict-{uuid.uuid4().hex[:8]}:"
    redis = Redis.from_url(infra().redis_url, decode_responses=True)
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra().mongo_url)
    hub = PubSubHub(redis, redis_keys.mode_at_message_signal_pattern(prefix))
    await hub.start()
    try:
        reader = ModeReader(redis, prefix, hub)
        store = ModeStore(mongo, "unused", redis, prefix)
        # The thread is human now; the verdict for this message (written later) says ai.
        await redis.hset(
            redis_keys.thread_mode(prefix, "t1"), mapping={"mode": "human", "version": 4}
        )
        waiting = asyncio.create_task(reader.for_message("t1", "m1", VERY_LONG_WAIT))
        await asyncio.sleep(0.2)
        assert not waiting.done()
        state = ModeState(thread_id="t1", account_id="a", mode=ThreadMode.AI, mode_version=3)
        await store.record_mode_at_message("m1", state)
        view = await asyncio.wait_for(waiting, timeout=10)
        assert (view.mode, view.version) == (ThreadMode.AI, 3)

        # Already decided: answered at once, without waiting for a signal.
        again = await asyncio.wait_for(reader.for_message("t1", "m1", VERY_LONG_WAIT), 10)
        assert again.version == 3
    finally:
        await hub.stop()
        await redis.aclose()
        await mongo.close()
