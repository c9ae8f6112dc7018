"""Which account a bot belongs to, for routing its ingest events (cached).

A bot never moves to another account, so a found owner is kept for as long as it fits in the
cache; a bot that was not found is asked again after `miss_seconds`, so a burst of events for
an unknown bot costs one query, and a bot created a moment later is not missed for long.
"""

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from pymongo import AsyncMongoClient

Lookup = Callable[[str], Awaitable[str | None]]


class BotAccounts:
    def __init__(
        self,
        lookup: Lookup,
        *,
        max_entries: int = 10_000,
        miss_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._lookup = lookup
        self._max_entries = max_entries
        self._miss_seconds = miss_seconds
        self._clock = clock
        self._owners: OrderedDict[str, str] = OrderedDict()
        self._misses: dict[str, float] = {}

    async def account_of(self, bot_id: str) -> str | None:
        owner = self._owners.get(bot_id)
        if owner is not None:
            self._owners.move_to_end(bot_id)
            return owner
        missed_at = self._misses.get(bot_id)
        if missed_at is not None and self._clock() - missed_at < self._miss_seconds:
            return None
        owner = await self._lookup(bot_id)
        if owner is None:
            if len(self._misses) >= self._max_entries:
                self._misses.clear()
            self._misses[bot_id] = self._clock()
            return None
        self._misses.pop(bot_id, None)
        self._owners[bot_id] = owner
        if len(self._owners) > self._max_entries:
            self._owners.popitem(last=False)
        return owner


def mongo_bot_owner(mongo: AsyncMongoClient[dict[str, Any]], db_name: str) -> Lookup:
    """The lookup against the `bots` collection the inbox writes."""
    bots = mongo[db_name]["bots"]

    async def owner(bot_id: str) -> str | None:
        doc = await bots.find_one({"_id": bot_id}, projection={"account_id": 1})
        return str(doc["account_id"]) if doc and doc.get("account_id") else None

    return owner
