"""Clients for MongoDB (PyMongo async) and Redis, built at start-up and checked before use."""

from typing import Any

from pymongo import AsyncMongoClient
from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

from baton_runtime.settings import CommonSettings
from baton_runtime.waiting import wait_for

REDIS_RETRIES = 3


async def connect_mongo(settings: CommonSettings) -> AsyncMongoClient[dict[str, Any]]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        settings.mongo_url, serverSelectionTimeoutMS=2000, tz_aware=True
    )

    async def ping() -> None:
        await client.admin.command("ping")

    await wait_for("mongodb", ping, timeout_seconds=settings.dependency_timeout_seconds)
    return client


async def connect_redis(settings: CommonSettings) -> "Redis":
    # A blocking pool: a burst of requests past the pool's size waits for a connection instead
    # of failing with "Too many connections" (redis-py's default pool raises at 100).
    pool = BlockingConnectionPool.from_url(
        settings.redis_url,
        decode_responses=True,
        max_connections=settings.redis_max_connections,
        timeout=settings.redis_pool_timeout_seconds,
        # A restarted Redis leaves every pooled connection dead; without a retry the first
        # command on each one failed (the gateway answered 500 to new sessions after a restart,
        # found by make bench-faults). A retry reconnects; the backoff rides out a short outage.
        retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), REDIS_RETRIES),
        retry_on_error=[RedisConnectionError],
    )
    client = Redis.from_pool(pool)

    async def ping() -> None:
        await client.ping()

    await wait_for("redis", ping, timeout_seconds=settings.dependency_timeout_seconds)
    return client
