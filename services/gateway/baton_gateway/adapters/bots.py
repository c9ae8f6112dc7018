"""Bot settings the widget edge needs (key, account, allowed origins), cached briefly."""

import time
from dataclasses import dataclass
from typing import Any

from pymongo import AsyncMongoClient

BOTS_COLLECTION = "bots"


@dataclass(frozen=True)
class Bot:
    bot_id: str
    bot_key: str
    account_id: str
    allowed_origins: frozenset[str]

    def allows(self, origin: str | None) -> bool:
        return origin is not None and origin.rstrip("/") in self.allowed_origins


class BotDirectory:
    def __init__(
        self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str, cache_seconds: float
    ) -> None:
        self._bots = mongo[db_name][BOTS_COLLECTION]
        self._cache_seconds = cache_seconds
        self._cache: dict[tuple[str, str], tuple[float, Bot | None]] = {}

    async def by_key(self, bot_key: str) -> Bot | None:
        return await self._cached("bot_key", bot_key)

    async def by_id(self, bot_id: str) -> Bot | None:
        return await self._cached("_id", bot_id)

    async def _cached(self, field: str, value: str) -> Bot | None:
        now = time.monotonic()
        hit = self._cache.get((field, value))
        if hit and now - hit[0] < self._cache_seconds:
            return hit[1]
        doc = await self._bots.find_one({field: value})
        bot = _bot(doc) if doc else None
        self._cache[(field, value)] = (now, bot)
        return bot


def _bot(doc: dict[str, Any]) -> Bot:
    return Bot(
        bot_id=doc["_id"],
        bot_key=doc["bot_key"],
        account_id=doc["account_id"],
        allowed_origins=frozenset(o.rstrip("/") for o in doc.get("allowed_origins", [])),
    )
