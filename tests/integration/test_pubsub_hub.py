"""The pub/sub hub against the real Redis: many listeners, one connection."""

import asyncio
import contextlib
import uuid

import pytest
from redis.asyncio import Redis

from baton_runtime.pubsub_hub import RESYNC, PubSubHub
from tests.support.infra import infra

pytestmark = pytest.mark.integration


def named_redis() -> tuple[Redis, str]:
    name = f"hubtest-{uuid.uuid4().hex[:8]}"
    return Redis.from_url(infra().redis_url, decode_responses=True, client_name=name), name


async def test_hub_fans_out_to_many_listeners_over_one_subscription() -> None:
    redis, name = named_redis()
    hub = PubSubHub(redis, f"{name}:*")
    await hub.start()
    try:
        async with contextlib.AsyncExitStack() as stack:
            queues = [
                await stack.enter_async_context(hub.listen(f"{name}:{n % 50}")) for n in range(500)
            ]
            assert hub.listener_count() == 500
            await redis.publish(f"{name}:7", "hello")
            assert await asyncio.wait_for(queues[7].get(), timeout=5) == (f"{name}:7", "hello")
            assert await asyncio.wait_for(queues[57].get(), timeout=5) == (f"{name}:7", "hello")
            assert queues[8].empty()
            ours = [c for c in await redis.client_list() if c.get("name") == name]
            assert len(ours) <= 3, "a listener must not cost a Redis connection"
        assert hub.listener_count() == 0
    finally:
        await hub.stop()
        await redis.aclose()


async def test_hub_resyncs_listeners_after_losing_its_connection() -> None:
    redis, name = named_redis()
    hub = PubSubHub(redis, f"{name}:*")
    await hub.start()
    try:
        async with hub.listen(f"{name}:a") as queue:
            subscriber = [
                c
                for c in await redis.client_list()
                if c.get("name") == name and c.get("psub") == "1"
            ]
            assert subscriber, "the hub's subscription connection is not visible"
            await redis.client_kill_filter(_id=subscriber[0]["id"])
            assert (await asyncio.wait_for(queue.get(), timeout=10))[0] == RESYNC
            await redis.publish(f"{name}:a", "after")
            assert await asyncio.wait_for(queue.get(), timeout=5) == (f"{name}:a", "after")
    finally:
        await hub.stop()
        await redis.aclose()


async def test_one_listener_on_two_channels_and_overflow_becomes_resync() -> None:
    redis, name = named_redis()
    hub = PubSubHub(redis, f"{name}:*")
    await hub.start()
    try:
        async with hub.listen(f"{name}:x", f"{name}:y") as queue:
            assert hub.listener_count() == 1
            await redis.publish(f"{name}:y", "1")
            assert await asyncio.wait_for(queue.get(), timeout=5) == (f"{name}:y", "1")
            for n in range(200):  # nobody reads: the queue overflows
                await redis.publish(f"{name}:x", str(n))
            await asyncio.sleep(0.5)
            seen = [queue.get_nowait() for _ in range(queue.qsize())]
            assert (RESYNC, RESYNC) in seen
            assert seen[-1] == (f"{name}:x", "199")
    finally:
        await hub.stop()
        await redis.aclose()
