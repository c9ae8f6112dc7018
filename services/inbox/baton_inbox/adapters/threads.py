"""The inbox's thread store (MongoDB): threads and their full message history.

A thread document records the log position it has folded up to (`last_position`) and its
Kafka partition. The Kafka handler writes the thread document last for each event, so a reader
that sees `last_position = X` knows every event of that partition up to X is in the store:
that is what makes the live stream resumable (see baton_inbox.live.cursor).
"""

import contextlib
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, ReturnDocument
from pymongo.errors import BulkWriteError, DuplicateKeyError

from baton_inbox.domain import FirstChanges, mark_withheld

THREADS = "inbox_threads"
DUPLICATE_KEY = 11000  # the server's error code for an _id already stored
MESSAGES = "inbox_messages"


class ThreadStore:
    def __init__(self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str) -> None:
        self._threads = mongo[db_name][THREADS]
        self._messages = mongo[db_name][MESSAGES]

    async def ensure_indexes(self) -> None:
        await self._threads.create_index(
            [("account_id", ASCENDING), ("last_message_at", DESCENDING)]
        )
        await self._threads.create_index(
            [("account_id", ASCENDING), ("partition", ASCENDING), ("last_position", DESCENDING)]
        )
        await self._messages.create_index([("thread_id", ASCENDING), ("position", ASCENDING)])

    # -- written by the Kafka handler, in log order -------------------------------------------

    async def start_thread(self, doc: dict[str, Any], position: int) -> dict[str, Any]:
        """The thread as stored: the one written now, or the one a first delivery wrote."""
        stored = await self._threads.find_one_and_update(
            {"_id": doc["_id"]},
            {
                "$setOnInsert": {
                    **{k: v for k, v in doc.items() if k != "_id"},
                    "last_position": position,
                }
            },
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        if stored is None:  # an upsert returns the document after it; never None
            raise RuntimeError(f"thread {doc['_id']} was not stored")
        return stored

    async def apply(
        self,
        thread_id: str,
        position: int,
        changes: dict[str, Any],
        appended: dict[str, Any] | None = None,
        first: FirstChanges | None = None,
    ) -> dict[str, Any] | None:
        """Position-guarded, so a redelivered event never rolls a thread back (nor appends
        twice to the `appended` lists). Returns the thread as written (the live update needs
        it, and one round trip beats a write and a read), or None when the guard held (a
        redelivery: read it with `thread`).

        `first` (a visitor message's wait, an escalation's response clock) is set only on a
        thread that matches its condition: tried first as one conditional write, since that is
        the usual case (a visitor usually writes after an answer); only a thread whose clock
        is running already costs a second write without it."""
        guard: dict[str, Any] = {"_id": thread_id, "last_position": {"$lt": position}}
        if first is not None:
            started = await self._write(
                {**guard, **first.when}, {**changes, **first.fields}, position, appended
            )
            if started is not None:
                return started
        return await self._write(guard, changes, position, appended)

    async def _write(
        self,
        guard: dict[str, Any],
        changes: dict[str, Any],
        position: int,
        appended: dict[str, Any] | None,
    ) -> dict[str, Any] | None:
        update: dict[str, Any] = {"$set": {**changes, "last_position": position}}
        if appended:
            update["$push"] = appended
        return await self._threads.find_one_and_update(
            guard, update, return_document=ReturnDocument.AFTER
        )

    async def add_message(self, doc: dict[str, Any]) -> None:
        with contextlib.suppress(DuplicateKeyError):
            await self._messages.insert_one(doc)

    async def add_messages(self, docs: list[dict[str, Any]]) -> None:
        """Store every message in one call; one already stored (a redelivery) is left as it
        is and the others are still stored (unordered insert)."""
        if len(docs) <= 1:
            for doc in docs:
                await self.add_message(doc)
            return
        try:
            await self._messages.insert_many(docs, ordered=False)
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors", [])
            if not errors or any(error.get("code") != DUPLICATE_KEY for error in errors):
                raise

    async def thread(self, thread_id: str) -> dict[str, Any] | None:
        """Unscoped read for the Kafka handler only; staff reads go through `get_thread`."""
        return await self._threads.find_one({"_id": thread_id})

    # -- staff reads, always scoped to the account -------------------------------------------

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
        """Call only after `get_thread` confirmed the thread belongs to the staff's account."""
        cursor = self._messages.find({"thread_id": thread_id}).sort("position", ASCENDING)
        return mark_withheld([doc async for doc in cursor])

    async def positions(self, account_id: str) -> dict[int, int]:
        """Per partition, the highest position folded into any of the account's threads."""
        out: dict[int, int] = {}
        for partition in await self._threads.distinct("partition", {"account_id": account_id}):
            if not isinstance(partition, int):
                continue
            doc = await self._threads.find_one(
                {"account_id": account_id, "partition": partition},
                sort=[("last_position", DESCENDING)],
            )
            if doc is not None:
                out[partition] = int(doc["last_position"])
        return out

    async def changed_since(
        self,
        account_id: str,
        positions: dict[int, int],
        meta_since: datetime,
        thread_id: str | None,
        limit: int,
    ) -> list[dict[str, Any]]:
        """Threads changed by the log after `positions`, or by staff after `meta_since`."""
        branches: list[dict[str, Any]] = [
            {"partition": partition, "last_position": {"$gt": position}}
            for partition, position in positions.items()
        ]
        # threads of partitions the client has never heard of (legacy threads lack the field)
        branches.append({"partition": {"$exists": True, "$nin": list(positions)}})
        branches.append({"meta_at": {"$gt": meta_since}})
        query: dict[str, Any] = {"account_id": account_id, "$or": branches}
        if thread_id is not None:
            query["_id"] = thread_id
        cursor = self._threads.find(query).sort("last_position", ASCENDING).limit(limit)
        return [doc async for doc in cursor]

    async def messages_after(self, after: dict[str, int], limit: int) -> list[dict[str, Any]]:
        """Messages of the given threads past each thread's position (thread ids must already
        be scoped to one account)."""
        if not after:
            return []
        query = {
            "$or": [
                {"thread_id": thread_id, "position": {"$gt": position}}
                for thread_id, position in after.items()
            ]
        }
        cursor = self._messages.find(query).sort("position", ASCENDING).limit(limit)
        return [doc async for doc in cursor]

    # -- inbox-owned state (not from the log) -----------------------------------------------

    async def assign(
        self, account_id: str, thread_id: str, staff_id: str | None, name: str | None, at: datetime
    ) -> dict[str, Any] | None:
        return await self._threads.find_one_and_update(
            {"_id": thread_id, "account_id": account_id},
            {"$set": {"assignee_id": staff_id, "assignee_name": name, "meta_at": at}},
            return_document=ReturnDocument.AFTER,
        )

    async def touch_meta(self, account_id: str, thread_id: str, at: datetime) -> None:
        await self._threads.update_one(
            {"_id": thread_id, "account_id": account_id}, {"$max": {"meta_at": at}}
        )

    async def unassign_all(self, account_id: str, staff_id: str, at: datetime) -> list[str]:
        cursor = self._threads.find({"account_id": account_id, "assignee_id": staff_id})
        thread_ids = [str(doc["_id"]) async for doc in cursor]
        if thread_ids:
            await self._threads.update_many(
                {"_id": {"$in": thread_ids}, "account_id": account_id, "assignee_id": staff_id},
                {"$set": {"assignee_id": None, "assignee_name": None, "meta_at": at}},
            )
        return thread_ids
