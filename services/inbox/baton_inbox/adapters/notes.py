"""Private notes on a thread (MongoDB): written and read by teammates only; they never enter
the conversation log, so no visitor-facing service can ever see them."""

import uuid
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, AsyncMongoClient

NOTES = "inbox_notes"


class NoteStore:
    def __init__(self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str) -> None:
        self._notes = mongo[db_name][NOTES]

    async def ensure_indexes(self) -> None:
        await self._notes.create_index(
            [("account_id", ASCENDING), ("thread_id", ASCENDING), ("created_at", ASCENDING)]
        )
        await self._notes.create_index([("account_id", ASCENDING), ("created_at", ASCENDING)])

    async def add(
        self,
        account_id: str,
        thread_id: str,
        staff_id: str,
        staff_name: str,
        text: str,
        at: datetime,
    ) -> dict[str, Any]:
        doc = {
            "_id": str(uuid.uuid4()),
            "account_id": account_id,
            "thread_id": thread_id,
            "staff_id": staff_id,
            "staff_name": staff_name,
            "text": text,
            "created_at": at,
        }
        await self._notes.insert_one(doc)
        return doc

    async def for_thread(self, account_id: str, thread_id: str) -> list[dict[str, Any]]:
        cursor = self._notes.find({"account_id": account_id, "thread_id": thread_id}).sort(
            "created_at", ASCENDING
        )
        return [doc async for doc in cursor]

    async def since(
        self, account_id: str, after: datetime, thread_id: str | None, limit: int
    ) -> list[dict[str, Any]]:
        query: dict[str, Any] = {"account_id": account_id, "created_at": {"$gt": after}}
        if thread_id is not None:
            query["thread_id"] = thread_id
        cursor = self._notes.find(query).sort("created_at", ASCENDING).limit(limit)
        return [doc async for doc in cursor]
