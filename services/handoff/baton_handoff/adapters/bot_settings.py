"""Per-bot hand-back idle time (bots collection, field handback_idle_seconds), cached until
the inbox announces a change to the bot (or the cache's TTL, the safety net, runs out)."""

from datetime import timedelta
from typing import Any

from pymongo import AsyncMongoClient

from baton_events.bots import BotChanged
from baton_runtime.bot_cache import BotCache


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
        self._cache: BotCache[str, timedelta] = BotCache(cache_seconds)

    async def for_bot(self, bot_id: str | None) -> timedelta:
        if bot_id is None:
            return self._default

        async def load() -> timedelta:
            doc = await self._bots.find_one({"_id": bot_id}, {"handback_idle_seconds": 1})
            seconds = (doc or {}).get("handback_idle_seconds")
            return timedelta(seconds=float(seconds)) if seconds else self._default

        return await self._cache.get(bot_id, load)

    def forget(self, change: BotChanged) -> None:
        self._cache.drop(change.bot_id)

    def forget_all(self) -> None:
        self._cache.clear()
