"""The visitor-visible message projection (MongoDB) and its change notifications (Redis)."""

import contextlib
from typing import Any

from pymongo import ASCENDING, AsyncMongoClient
from pymongo.errors import DuplicateKeyError
from redis.asyncio import Redis

from baton_contracts import redis_keys

MESSAGES = "gateway_messages"
THREADS = "gateway_threads"


class VisibleMessages:
    def __init__(
        self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str, redis: Redis, prefix: str
    ) -> None:
        self._messages = mongo[db_name][MESSAGES]
        self._threads = mongo[db_name][THREADS]
        self._redis = redis
        self._prefix = prefix

    async def ensure_indexes(self) -> None:
        await self._messages.create_index([("thread_id", ASCENDING), ("position", ASCENDING)])

    def channel(self, thread_id: str) -> str:
        return redis_keys.thread_visible(self._prefix, thread_id)

    async def add(self, doc: dict[str, Any]) -> None:
        """Insert once; a redelivered event finds its message already there."""
        with contextlib.suppress(DuplicateKeyError):
            await self._messages.insert_one(doc)
        await self._redis.publish(self.channel(doc["thread_id"]), str(doc["position"]))

    async def since(self, thread_id: str, after_position: int) -> list[dict[str, Any]]:
        cursor = self._messages.find(
            {"thread_id": thread_id, "position": {"$gt": after_position}}
        ).sort("position", ASCENDING)
        return [doc async for doc in cursor]

    async def record_staff_position(self, thread_id: str, position: int) -> None:
        await self._threads.update_one(
            {"_id": thread_id}, {"$max": {"last_staff_position": position}}, upsert=True
        )

    async def last_staff_position(self, thread_id: str) -> int:
        doc = await self._threads.find_one({"_id": thread_id})
        return int(doc["last_staff_position"]) if doc else -1
