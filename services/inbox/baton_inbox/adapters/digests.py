"""What the digest reads (escalated threads) and records (digests sent, one per account and
window, so replicas and restarts never send the same digest twice)."""

from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient
from pymongo.errors import DuplicateKeyError

from baton_inbox.digest import DigestWindow


class DigestStore:
    def __init__(self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str) -> None:
        self._threads = mongo[db_name]["inbox_threads"]
        self._digests = mongo[db_name]["inbox_digests"]

    async def ensure_indexes(self) -> None:
        await self._threads.create_index([("escalated_at", DESCENDING)])
        await self._threads.create_index([("account_id", ASCENDING), ("escalated_at", ASCENDING)])

    async def accounts_with_escalations(self, window: DigestWindow) -> list[str]:
        ids = await self._threads.distinct(
            "account_id", {"escalated_at": {"$gte": window.start, "$lt": window.end}}
        )
        return sorted(str(account_id) for account_id in ids)

    async def escalated(self, account_id: str, window: DigestWindow) -> list[dict[str, Any]]:
        cursor = self._threads.find(
            {"account_id": account_id, "escalated_at": {"$gte": window.start, "$lt": window.end}}
        ).sort("escalated_at", ASCENDING)
        return [doc async for doc in cursor]

    async def was_claimed(self, account_id: str, window: DigestWindow) -> bool:
        doc = await self._digests.find_one({"_id": f"{account_id}:{window.key}"}, {"_id": 1})
        return doc is not None

    async def claim(self, account_id: str, window: DigestWindow) -> bool:
        """True for the one caller that should send this account's digest for the window."""
        try:
            await self._digests.insert_one(
                {"_id": f"{account_id}:{window.key}", "claimed_at": datetime.now(UTC)}
            )
        except DuplicateKeyError:
            return False
        return True

    async def release(self, account_id: str, window: DigestWindow) -> None:
        """After a failed send, so the next run tries again."""
        await self._digests.delete_one({"_id": f"{account_id}:{window.key}"})
