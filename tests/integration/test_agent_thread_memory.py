"""The agent's memory of a thread on the real Redis: a turn is remembered with its expiry,
and a later save keeps the fields it does not touch."""

import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from baton_agent.adapters.thread_memory import TTL_SECONDS, ThreadMemoryStore
from tests.support.infra import infra

pytestmark = pytest.mark.integration


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(infra().redis_url, decode_responses=True)
    yield client
    await client.aclose()


async def test_a_turn_is_remembered_with_its_expiry(redis: Redis) -> None:
    prefix = f"memory-test-{uuid.uuid4().hex[:8]}:"
    store = ThreadMemoryStore(redis, prefix)
    await store.remember_turn("t-1", "m-1", "How do I export?", answered=True, unhelped=0)
    await store.email_known("t-1")
    memory = await store.load("t-1")
    assert memory.last_message_id == "m-1" and memory.last_question == "How do I export?"
    assert memory.ai_answered_last and memory.email_known and memory.unhelped_turns == 0
    keys = [key async for key in redis.scan_iter(f"{prefix}*")]
    assert len(keys) == 1
    assert 0 < await redis.ttl(keys[0]) <= TTL_SECONDS
    await redis.delete(*keys)
