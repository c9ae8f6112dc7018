"""Seeds the gateway's message store to a target size through the gateway's own write path
(its VisibleMessages adapter and the document its handler builds from each event), so the
large-data point measures what weeks of real chats would leave behind.

Seeded threads have stable ids (seed number -> uuid5), so a second run tops the store up
instead of starting over, and a message already there is skipped by the adapter itself."""

import asyncio
import math
import time
import uuid
from typing import Any

import structlog
from pymongo import AsyncMongoClient
from redis.asyncio import Redis

from baton_events import AiReplyCommitted, SourceRef, VisitorMessageReceived
from baton_events.envelope import stable_event_id
from baton_gateway.adapters.messages import MESSAGES, VisibleMessages
from baton_gateway.domain import visible_message
from tests.bench.load.questions import question
from tests.bench.load.stack import Stack

log = structlog.get_logger()
TURNS_PER_THREAD = 5  # a question and its answer each: 10 stored messages per thread
MESSAGES_PER_THREAD = 2 * TURNS_PER_THREAD
THREADS_AT_ONCE = 8
SOURCE = SourceRef(title="Importing contacts", url="https://help.example.test/import")


def seed_thread_id(number: int) -> str:
    return str(stable_event_id("bench-seed-thread", number))


async def stored_messages(mongo: AsyncMongoClient[dict[str, Any]], db_name: str) -> int:
    return int(await mongo[db_name][MESSAGES].count_documents({}))


async def _seed_thread(store: VisibleMessages, stack: Stack, number: int) -> None:
    thread_id = seed_thread_id(number)
    for turn in range(TURNS_PER_THREAD):
        client_message_id = f"seed-{turn}"
        message_id = str(stable_event_id(thread_id, "visitor_message", client_message_id))
        asked = VisitorMessageReceived(
            event_id=uuid.UUID(message_id),
            thread_id=thread_id,
            account_id=stack.account_id,
            bot_id=stack.bot_id,
            message_id=message_id,
            client_message_id=client_message_id,
            text=question(number, turn),
        )
        await store.add(visible_message(asked, 2 * turn))
        reply_id = str(stable_event_id(message_id, "ai_reply"))
        answered = AiReplyCommitted(
            event_id=stable_event_id(reply_id, "committed"),
            thread_id=thread_id,
            account_id=stack.account_id,
            reply_id=reply_id,
            in_reply_to=message_id,
            text="You can do that from Settings; the page below walks through it.",
            sources=(SOURCE,),
            confidence=0.8,
            proposal_position=2 * turn,
        )
        await store.add(visible_message(answered, 2 * turn + 1))


async def _first_unseeded(mongo: AsyncMongoClient[dict[str, Any]], db_name: str, upper: int) -> int:
    """Seeds run in order, so the seeded thread numbers form a prefix: binary search its end."""
    collection = mongo[db_name][MESSAGES]
    low, high = 0, upper
    while low < high:
        middle = (low + high) // 2
        if await collection.find_one({"thread_id": seed_thread_id(middle)}) is None:
            high = middle
        else:
            low = middle + 1
    return low


async def seed_messages(
    stack: Stack,
    mongo_url: str,
    db_name: str,
    redis_url: str,
    redis_prefix: str,
    target: int,
    time_limit_s: float,
) -> int:
    """Tops the store up to `target` messages (or stops at the time limit); returns the count."""
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url, tz_aware=True)
    redis = Redis.from_url(redis_url, decode_responses=True)
    try:
        store = VisibleMessages(mongo, db_name, redis, redis_prefix)
        missing = target - await stored_messages(mongo, db_name)
        if missing > 0:
            upper = math.ceil(target / MESSAGES_PER_THREAD)
            first = await _first_unseeded(mongo, db_name, upper)
            numbers = iter(range(first, first + math.ceil(missing / MESSAGES_PER_THREAD)))
            deadline = time.monotonic() + time_limit_s

            async def worker() -> None:
                for number in numbers:  # shared iterator: each number seeded once
                    if time.monotonic() > deadline:
                        return
                    await _seed_thread(store, stack, number)

            log.info("seeding", missing=missing, first_thread=first)
            await asyncio.gather(*(worker() for _ in range(THREADS_AT_ONCE)))
        return await stored_messages(mongo, db_name)
    finally:
        await redis.aclose()
        await mongo.close()
