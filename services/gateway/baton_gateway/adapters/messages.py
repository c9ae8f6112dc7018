"""The visitor-visible message projection (MongoDB) and its live notices (Redis).

The live path reads no store: each new message is published with its position and the
position of the thread's message before it, and a stream that has sent up to there sends it
on. MongoDB is read only to resume after a reconnect or to fill a gap (a lost notice, seen
through `newest_position` at a heartbeat), by the (thread_id, position) index.
"""

from datetime import timedelta
from typing import Any

from pymongo import ASCENDING, AsyncMongoClient
from pymongo.errors import DuplicateKeyError
from redis.asyncio import Redis

from baton_contracts import redis_keys
from baton_contracts.live_signals import VisibleMessageNotice
from baton_gateway.domain import HandoverPositions, public_message

MESSAGES = "gateway_messages"
THREADS = "gateway_threads"
NEWEST_TTL = timedelta(days=7)
# Raise the thread's newest announced position and announce the message, in one step: never
# lower the position, and announce only a message that raised it. The notice is sent as JSON
# with its `previous_position` (the position held before, or null) appended by the script:
# ARGV[3] is the notice up to that field, ARGV[4] the rest. Answers the position it held.
_ANNOUNCE = """
local held = redis.call('GET', KEYS[1])
if held and tonumber(held) >= tonumber(ARGV[1]) then
  return held
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('PUBLISH', ARGV[5], ARGV[3] .. (held or 'null') .. ARGV[4])
return held
"""


def notice_parts(position: int, message: dict[str, Any]) -> tuple[str, str]:
    """The notice's JSON before and after its `previous_position` value."""
    body = VisibleMessageNotice(
        position=position, previous_position=None, message=message
    ).model_dump_json(exclude={"previous_position"})
    return body[:-1] + ',"previous_position":', "}"


class VisibleMessages:
    def __init__(
        self, mongo: AsyncMongoClient[dict[str, Any]], db_name: str, redis: Redis, prefix: str
    ) -> None:
        self._messages = mongo[db_name][MESSAGES]
        self._threads = mongo[db_name][THREADS]
        self._redis = redis
        self._prefix = prefix

    async def ensure_indexes(self) -> None:
        await self._messages.create_index([("thread_id", ASCENDING), ("position", ASCENDING)])

    def channel(self, thread_id: str) -> str:
        return redis_keys.thread_visible(self._prefix, thread_id)

    async def add(self, doc: dict[str, Any]) -> None:
        """Insert once, then announce. A redelivered event finds its message stored and its
        position announced already, and announces nothing; if the first delivery died between
        the insert and the announce, the redelivery announces it.

        The same message can also come again at a later position (its event published twice:
        a producer retried after a crash, or a visitor's retry after Redis lost the id mark).
        The stored copy, with its first position, is what is announced then: announcing the
        new position would send the message to every stream a second time."""
        try:
            await self._messages.insert_one(doc)
        except DuplicateKeyError:
            stored = await self._messages.find_one({"_id": doc["_id"]})
            if stored is None:
                return
            doc = stored
        thread_id, position = str(doc["thread_id"]), int(doc["position"])
        before, after = notice_parts(position, public_message(doc))
        # One round trip: a message is announced exactly when it raises the newest position.
        await self._redis.eval(
            _ANNOUNCE,
            1,
            redis_keys.thread_visible_newest(self._prefix, thread_id),
            str(position),
            str(int(NEWEST_TTL.total_seconds())),
            before,
            after,
            self.channel(thread_id),
        )

    async def newest_position(self, thread_id: str) -> int | None:
        """The newest announced position of the thread (None: none in the last 7 days)."""
        raw = await self._redis.get(redis_keys.thread_visible_newest(self._prefix, thread_id))
        return int(raw) if raw is not None else None

    async def since(self, thread_id: str, after_position: int) -> list[dict[str, Any]]:
        cursor = self._messages.find(
            {"thread_id": thread_id, "position": {"$gt": after_position}}
        ).sort("position", ASCENDING)
        return [doc async for doc in cursor]

    async def record_staff_position(self, thread_id: str, position: int) -> None:
        await self._threads.update_one(
            {"_id": thread_id}, {"$max": {"last_staff_position": position}}, upsert=True
        )

    async def record_ai_resume_position(self, thread_id: str, position: int) -> None:
        await self._threads.update_one(
            {"_id": thread_id}, {"$max": {"last_ai_resume_position": position}}, upsert=True
        )

    async def handover_positions(self, thread_id: str) -> HandoverPositions:
        doc = await self._threads.find_one({"_id": thread_id}) or {}
        return HandoverPositions(
            last_staff=int(doc.get("last_staff_position", -1)),
            last_ai_resume=int(doc.get("last_ai_resume_position", -1)),
        )
