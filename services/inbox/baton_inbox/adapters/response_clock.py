"""The response clock's reads and claims on the inbox's thread documents (MongoDB).

Every write is conditional on the escalation it was computed for (`escalated_at`) and on the
thread still waiting, so a teammate's reply or a new escalation in between voids it; the
stage claim is also conditional on the stage before, so with several inbox replicas exactly
one of them alerts each threshold."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, AsyncMongoClient, ReturnDocument

from baton_inbox.response_clock import STAGES_BEFORE, ResponseStage

WAITING_LIMIT = 2000


class ResponseClockStore:
    def __init__(self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str) -> None:
        self._threads = mongo[db_name]["inbox_threads"]

    async def ensure_indexes(self) -> None:
        await self._threads.create_index([("needs_human", ASCENDING), ("escalated_at", ASCENDING)])

    async def waiting(self) -> list[dict[str, Any]]:
        """Escalated threads still waiting for a teammate, oldest escalation first."""
        cursor = (
            self._threads.find({"needs_human": True, "status": "open"})
            .sort("escalated_at", ASCENDING)
            .limit(WAITING_LIMIT)
        )
        return [doc async for doc in cursor]

    async def set_due(
        self, thread_id: str, escalated_at: datetime, due_at: datetime, at: datetime
    ) -> dict[str, Any] | None:
        return await self._threads.find_one_and_update(
            {"_id": thread_id, "needs_human": True, "escalated_at": escalated_at},
            {"$set": {"response_due_at": due_at, "meta_at": at}},
            return_document=ReturnDocument.AFTER,
        )

    async def claim_stage(
        self, thread_id: str, escalated_at: datetime, stage: ResponseStage, at: datetime
    ) -> dict[str, Any] | None:
        """The thread after the claim, or None when another replica claimed it first or the
        thread moved on (answered, closed, escalated again)."""
        return await self._threads.find_one_and_update(
            {
                "_id": thread_id,
                "needs_human": True,
                "status": "open",
                "escalated_at": escalated_at,
                "response_alert": {"$in": list(STAGES_BEFORE[stage])},
            },
            {"$set": {"response_alert": stage.value, "meta_at": at}},
            return_document=ReturnDocument.AFTER,
        )
