"""The business hours of each account (from the inbox's settings document), kept for a
short while: the gateway reads them at every heartbeat of every open widget stream and the
agent at each escalation, and they change rarely. A change is seen within the cache time."""

from typing import Any

from pymongo import AsyncMongoClient

from baton_contracts.account_hours import ACCOUNT_SETTINGS_COLLECTION, hours_from_document
from baton_contracts.business_hours import BusinessHours
from baton_runtime.bot_cache import BotCache


class AccountHours:
    def __init__(
        self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str, cache_seconds: float
    ) -> None:
        self._settings = mongo[db_name][ACCOUNT_SETTINGS_COLLECTION]
        self._cache: BotCache[str, BusinessHours] = BotCache(cache_seconds)

    async def of(self, account_id: str) -> BusinessHours:
        async def load() -> BusinessHours:
            doc = await self._settings.find_one({"_id": account_id}, {"settings": 1})
            return hours_from_document(doc)

        return await self._cache.get(account_id, load)
