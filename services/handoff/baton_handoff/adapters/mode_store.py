"""Mode projection storage: MongoDB is the durable copy, Redis the hot copy the agent reads."""

from datetime import datetime
from typing import Any, cast

from pymongo import ASCENDING, AsyncMongoClient
from redis.asyncio import Redis

from baton_contracts import redis_keys
from baton_contracts.live_signals import VERDICT_READY
from baton_contracts.mode_copy import HotMode, ModeVerdict
from baton_events import ThreadMode
from baton_handoff.domain import ModeState

COLLECTION = "handoff_threads"
# Which mode version the timer already sent HandbackDue for, per thread. Its own documents:
# the timer and the fold never write the same document, so neither can undo the other's
# write (FerretDB, the local stand-in, applies an update as read-then-write of the whole
# document, and two at once lose one).
HANDBACKS_SENT = "handoff_handbacks_sent"


MODE_AT_MESSAGE_TTL_SECONDS = 24 * 3600


class ModeStore:
    def __init__(
        self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str, redis: Redis, redis_prefix: str
    ) -> None:
        self._threads = mongo[db_name][COLLECTION]
        self._handbacks_sent = mongo[db_name][HANDBACKS_SENT]
        self._redis = redis
        self._redis_prefix = redis_prefix

    async def ensure_indexes(self) -> None:
        await self._threads.create_index([("mode", ASCENDING), ("handback_deadline", ASCENDING)])

    async def load(self, thread_id: str, account_id: str) -> ModeState:
        doc = await self._threads.find_one({"_id": thread_id})
        if doc is None:
            return ModeState(thread_id=thread_id, account_id=account_id)
        return _from_doc(doc)

    async def save(self, state: ModeState) -> None:
        """Durable write first (it carries the log position), then the hot copy."""
        await self._threads.update_one(
            {"_id": state.thread_id}, {"$set": _to_doc(state)}, upsert=True
        )
        await self.publish_hot(state)

    async def publish_hot(self, state: ModeState) -> None:
        deadline = state.handback_deadline.isoformat() if state.handback_deadline else ""
        hot = HotMode(
            mode=state.mode.value,
            version=state.mode_version,
            deadline=deadline,
            position=state.last_position,
        )
        await self._redis.hset(
            redis_keys.thread_mode(self._redis_prefix, state.thread_id),
            mapping=hot.as_hash(),  # type: ignore[arg-type]
        )

    async def record_mode_at_message(self, message_id: str, state: ModeState) -> None:
        """The mode right after a visitor message in the log: whether the AI may answer it.
        Later events must not change this verdict, so it is kept per message."""
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.set(
                redis_keys.mode_at_message(self._redis_prefix, message_id),
                ModeVerdict(mode=state.mode.value, version=state.mode_version).encode(),
                ex=MODE_AT_MESSAGE_TTL_SECONDS,
            )
            pipe.publish(
                redis_keys.mode_at_message_signal(self._redis_prefix, message_id), VERDICT_READY
            )
            await pipe.execute()

    async def due_for_handback(self, now: datetime, limit: int = 500) -> list[ModeState]:
        cursor = self._threads.find(
            {"mode": ThreadMode.HUMAN.value, "handback_deadline": {"$lte": now}}
        ).limit(limit)
        due = [_from_doc(doc) async for doc in cursor]
        if not due:
            return []
        sent_cursor = self._handbacks_sent.find({"_id": {"$in": [s.thread_id for s in due]}})
        sent = {doc["_id"]: doc.get("mode_version") async for doc in sent_cursor}
        # The timer fires once per mode version; a sent one waits for the fold to apply it.
        return [state for state in due if sent.get(state.thread_id) != state.mode_version]

    async def mark_handback_sent(self, state: ModeState) -> None:
        await self._handbacks_sent.update_one(
            {"_id": state.thread_id}, {"$set": {"mode_version": state.mode_version}}, upsert=True
        )

    async def read(self, thread_id: str) -> dict[str, str] | None:
        hot = cast(
            dict[str, str],
            await self._redis.hgetall(redis_keys.thread_mode(self._redis_prefix, thread_id)),
        )
        if hot:
            return hot
        doc = await self._threads.find_one({"_id": thread_id})
        if doc is None:
            return None
        state = _from_doc(doc)
        await self.publish_hot(state)
        return await self.read(thread_id)


def _to_doc(state: ModeState) -> dict[str, Any]:
    return {
        "account_id": state.account_id,
        "mode": state.mode.value,
        "mode_version": state.mode_version,
        "last_position": state.last_position,
        "handback_deadline": state.handback_deadline,
        "bot_id": state.bot_id,
    }


def _from_doc(doc: dict[str, Any]) -> ModeState:
    return ModeState(
        thread_id=doc["_id"],
        account_id=doc["account_id"],
        mode=ThreadMode(doc["mode"]),
        mode_version=int(doc["mode_version"]),
        last_position=int(doc["last_position"]),
        handback_deadline=doc.get("handback_deadline"),
        bot_id=doc.get("bot_id"),
    )
