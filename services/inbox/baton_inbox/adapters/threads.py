"""The inbox's thread store (MongoDB): threads and their full message history."""

import contextlib
from typing import Any

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient
from pymongo.errors import DuplicateKeyError

THREADS = "inbox_threads"
MESSAGES = "inbox_messages"


class ThreadStore:
    def __init__(self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str) -> None:
        self._threads = mongo[db_name][THREADS]
        self._messages = mongo[db_name][MESSAGES]

    async def ensure_indexes(self) -> None:
        await self._threads.create_index(
            [("account_id", ASCENDING), ("last_message_at", DESCENDING)]
        )
        await self._messages.create_index([("thread_id", ASCENDING), ("position", ASCENDING)])

    async def start_thread(self, doc: dict[str, Any], position: int) -> None:
        await self._threads.update_one(
            {"_id": doc["_id"]},
            {
                "$setOnInsert": {
                    **{k: v for k, v in doc.items() if k != "_id"},
                    "last_position": position,
                }
            },
            upsert=True,
        )

    async def apply(self, thread_id: str, position: int, changes: dict[str, Any]) -> None:
        """Position-guarded, so a redelivered event never rolls a thread back."""
        await self._threads.update_one(
            {"_id": thread_id, "last_position": {"$lt": position}},
            {"$set": {**changes, "last_position": position}},
        )

    async def mark_waiting(self, thread_id: str, since: Any) -> None:
        await self._threads.update_one(
            {"_id": thread_id, "waiting_since": None}, {"$set": {"waiting_since": since}}
        )

    async def add_message(self, doc: dict[str, Any]) -> None:
        with contextlib.suppress(DuplicateKeyError):
            await self._messages.insert_one(doc)

    async def list_threads(
        self, account_id: str, filters: dict[str, Any], limit: int
    ) -> list[dict[str, Any]]:
        cursor = (
            self._threads.find({"account_id": account_id, **filters})
            .sort("created_at", DESCENDING)
            .limit(limit)
        )
        return [doc async for doc in cursor]

    async def get_thread(self, account_id: str, thread_id: str) -> dict[str, Any] | None:
        return await self._threads.find_one({"_id": thread_id, "account_id": account_id})

    async def messages(self, thread_id: str) -> list[dict[str, Any]]:
        cursor = self._messages.find({"thread_id": thread_id}).sort("position", ASCENDING)
        return [doc async for doc in cursor]
