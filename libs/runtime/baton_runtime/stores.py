"""Clients for MongoDB (PyMongo async) and Redis, built at start-up and checked before use."""

from typing import Any

from pymongo import AsyncMongoClient
from redis.asyncio import Redis

from baton_runtime.settings import CommonSettings
from baton_runtime.waiting import wait_for


async def connect_mongo(settings: CommonSettings) -> AsyncMongoClient[dict[str, Any]]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        settings.mongo_url, serverSelectionTimeoutMS=2000, tz_aware=True
    )

    async def ping() -> None:
        await client.admin.command("ping")

    await wait_for("mongodb", ping, timeout_seconds=settings.dependency_timeout_seconds)
    return client


async def connect_redis(settings: CommonSettings) -> "Redis":
    client = Redis.from_url(settings.redis_url, decode_responses=True)

    async def ping() -> None:
        await client.ping()

    await wait_for("redis", ping, timeout_seconds=settings.dependency_timeout_seconds)
    return client
