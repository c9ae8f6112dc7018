"""Reads the handoff service's hot copy of a thread's mode (Redis)."""

from typing import cast

from baton_events import ThreadMode
from redis.asyncio import Redis


class ModeReader:
    def __init__(self, redis: Redis, redis_prefix: str) -> None:
        self._redis = redis
        self._prefix = redis_prefix

    async def current(self, thread_id: str) -> tuple[ThreadMode, int]:
        """A thread the handoff has not seen yet is AI-owned at version 0."""
        hot = cast(dict[str, str], await self._redis.hgetall(f"{self._prefix}mode:{thread_id}"))
        if not hot:
            return ThreadMode.AI, 0
        return ThreadMode(hot["mode"]), int(hot["version"])
