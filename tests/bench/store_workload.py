"""Baton's MongoDB workload, for comparing document stores: stored documents shaped as the
services write them, the indexes the services create, and each query kind the services send.

Every query below mirrors one adapter method (named in its docstring); it is copied rather
than imported so the benchmark measures the store alone, with no Redis or Kafka behind it.
Seeding uses insert_many in batches (the documents and indexes are what the adapters make;
only the round trips are fewer), and the single-document writes are measured as query kinds.
"""

import random
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

Doc = dict[str, Any]
PARTITIONS = 6  # conversation.events, as deploy/local/kafka/server.properties creates it
MESSAGES_PER_THREAD = 10
SEED_BATCH = 500
ACCOUNT_ID = "acct-bench"
BOT_ID = "bot-bench"
STAFF_ID = "staff-bench"
SOURCES = [
    {"title": "Importing contacts", "url": "https://help.example/import"},
    {"title": "CSV format", "url": "https://help.example/csv"},
]


@dataclass
class SeededThread:
    thread_id: str
    partition: int
    positions: list[int] = field(default_factory=list)


@dataclass
class Workload:
    """What has been written so far, so queries pick real threads and positions."""

    db: AsyncDatabase[Doc]
    threads: list[SeededThread] = field(default_factory=list)
    partition_heads: list[int] = field(default_factory=lambda: [0] * PARTITIONS)
    stored_messages: int = 0
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC) - timedelta(days=30))

    def next_position(self, partition: int) -> int:
        # Other events (thread started, mode changes, proposals) take positions too.
        self.partition_heads[partition] += random.randint(1, 3)
        return self.partition_heads[partition]

    def some_thread(self) -> SeededThread:
        return random.choice(self.threads)


async def create_indexes(db: AsyncDatabase[Doc]) -> None:
    """The indexes the services' ensure_indexes create on these collections."""
    await db.gateway_messages.create_index([("thread_id", ASCENDING), ("position", ASCENDING)])
    await db.inbox_messages.create_index([("thread_id", ASCENDING), ("position", ASCENDING)])
    await db.inbox_threads.create_index(
        [("account_id", ASCENDING), ("last_message_at", DESCENDING)]
    )
    await db.inbox_threads.create_index(
        [("account_id", ASCENDING), ("partition", ASCENDING), ("last_position", DESCENDING)]
    )
    await db.inbox_threads.create_index([("escalated_at", DESCENDING)])
    await db.handoff_threads.create_index([("mode", ASCENDING), ("handback_deadline", ASCENDING)])
    await db.staff.create_index([("email", ASCENDING)], unique=True)
    await db.staff.create_index([("account_id", ASCENDING)])
    await db.bots.create_index([("bot_key", ASCENDING)], unique=True)
    await db.bots.create_index([("account_id", ASCENDING)])
    await db.staff.insert_one(
        {
            "_id": STAFF_ID,
            "account_id": ACCOUNT_ID,
            "email": "owner@bench.example",
            "name": "Owner",
            "role": "owner",
            "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$" + "x" * 64,
            "created_at": datetime.now(UTC),
        }
    )
    await db.bots.insert_one(
        {"_id": BOT_ID, "account_id": ACCOUNT_ID, "bot_key": "bench", "name": "Bench bot"}
    )


def _message_docs(thread: SeededThread, index: int, position: int, at: datetime) -> list[Doc]:
    """One message as the gateway (visible projection) and the inbox (full history) store it."""
    author = ("visitor", "ai")[index % 2]
    text = f"message {index} of {thread.thread_id}: " + "how do I import contacts? " * 4
    message_id = uuid.uuid4().hex
    gateway: Doc = {
        "_id": message_id,
        "thread_id": thread.thread_id,
        "position": position,
        "text": text,
        "created_at": at,
        "sources": SOURCES if author == "ai" else [],
        "author": author,
    }
    inbox: Doc = {
        "_id": message_id,
        "thread_id": thread.thread_id,
        "position": position,
        "author": author,
        "text": text,
        "created_at": at,
    }
    if author == "ai":
        inbox |= {"sources": SOURCES, "confidence": 0.82, "suppressed": False}
    return [gateway, inbox]


def _thread_docs(thread: SeededThread, started: datetime, last_at: datetime) -> dict[str, Doc]:
    """The per-thread documents of the inbox, the gateway and the handoff service."""
    human = random.random() < 0.1
    return {
        "inbox_threads": {
            "_id": thread.thread_id,
            "account_id": ACCOUNT_ID,
            "bot_id": BOT_ID,
            "visitor": {"name": None, "email": None, "user_id": None},
            "page_url": "https://app.example/settings",
            "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0",
            "created_at": started,
            "mode": "human" if human else "ai",
            "mode_version": 1 if human else 0,
            "status": "open",
            "needs_human": human,
            "escalation_reason": None,
            "assignee_id": STAFF_ID if human else None,
            "waiting_since": None,
            "last_message_at": last_at,
            "last_visitor_text": "how do I import contacts?",
            "handback_deadline": None,
            "partition": thread.partition,
            "last_position": thread.positions[-1],
        },
        "gateway_sessions": {
            "_id": thread.thread_id,
            "bot_id": BOT_ID,
            "email_known": False,
            "user_id": None,
            "created_at": started,
            "mode": "human" if human else "ai",
            "state_position": thread.positions[-1],
        },
        "gateway_threads": {"_id": thread.thread_id, "last_staff_position": -1},
        "handoff_threads": {
            "_id": thread.thread_id,
            "account_id": ACCOUNT_ID,
            "mode": "human" if human else "ai",
            "mode_version": 1 if human else 0,
            "last_position": thread.positions[-1],
            "handback_deadline": last_at + timedelta(minutes=10) if human else None,
            "bot_id": BOT_ID,
        },
    }


async def seed_until(workload: Workload, stored_messages: int) -> None:
    """Adds threads of MESSAGES_PER_THREAD messages until the store holds `stored_messages`
    messages (in each of gateway_messages and inbox_messages)."""
    pending: dict[str, list[Doc]] = {}
    while workload.stored_messages < stored_messages:
        thread = SeededThread(uuid.uuid4().hex, random.randrange(PARTITIONS))
        started = workload.started_at + timedelta(seconds=len(workload.threads) * 30)
        for index in range(MESSAGES_PER_THREAD):
            position = workload.next_position(thread.partition)
            thread.positions.append(position)
            at = started + timedelta(seconds=index * 20)
            gateway, inbox = _message_docs(thread, index, position, at)
            pending.setdefault("gateway_messages", []).append(gateway)
            pending.setdefault("inbox_messages", []).append(inbox)
        last_at = started + timedelta(seconds=MESSAGES_PER_THREAD * 20)
        for collection, doc in _thread_docs(thread, started, last_at).items():
            pending.setdefault(collection, []).append(doc)
        workload.threads.append(thread)
        workload.stored_messages += MESSAGES_PER_THREAD
        if len(pending["gateway_messages"]) >= SEED_BATCH:
            await _flush(workload.db, pending)
    await _flush(workload.db, pending)


async def _flush(db: AsyncDatabase[Doc], pending: dict[str, list[Doc]]) -> None:
    for collection, docs in pending.items():
        if docs:
            await db[collection].insert_many(docs, ordered=False)
    pending.clear()


QueryKind = Callable[[Workload], Awaitable[object]]
