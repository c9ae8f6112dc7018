"""Per-bot hand-back idle time (bots collection, field handback_idle_seconds), cached briefly."""

import time
from datetime import timedelta
from typing import Any

from pymongo import AsyncMongoClient


class HandbackIdleTimes:
    def __init__(
        self,
        mongo: AsyncMongoClient[dict[str, Any]],
        db_name: str,
        default: timedelta,
        cache_seconds: float,
    ) -> None:
        self._bots = mongo[db_name]["bots"]
        self._default = default
        self._cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, timedelta]] = {}

    async def for_bot(self, bot_id: str | None) -> timedelta:
        if bot_id is None:
            return self._default
        now = time.monotonic()
        cached = self._cache.get(bot_id)
        if cached and now - cached[0] < self._cache_seconds:
            return cached[1]
        doc = await self._bots.find_one({"_id": bot_id}, {"handback_idle_seconds": 1})
        seconds = (doc or {}).get("handback_idle_seconds")
        idle = timedelta(seconds=float(seconds)) if seconds else self._default
        self._cache[bot_id] = (now, idle)
        return idle
