"""Remembers published client_message_ids so a retried send is not published twice.

A send is claimed ("pending") before publishing and marked "sent" after the broker acked it.
A gateway killed in between leaves "pending": the client's retry then publishes again, which
is safe (the event id derives from the message, so consumers drop the repeat) where answering
"accepted" without publishing would lose the message.
"""

from redis.asyncio import Redis

from baton_contracts import redis_keys

DEDUPE_TTL_SECONDS = 7 * 24 * 3600
PENDING_TTL_SECONDS = 60
PENDING = "pending"


class SendDeduplicator:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    def _key(self, message_id: str) -> str:
        return redis_keys.visitor_send(self._prefix, message_id)

    async def claim(self, message_id: str) -> bool:
        """False only if this message was already published."""
        key = self._key(message_id)
        if await self._redis.set(key, PENDING, nx=True, ex=PENDING_TTL_SECONDS):
            return True
        return await self._redis.get(key) in (PENDING, None)

    async def mark_sent(self, message_id: str) -> None:
        await self._redis.set(self._key(message_id), "sent", ex=DEDUPE_TTL_SECONDS)

    async def forget(self, message_id: str) -> None:
        """After a failed publish, so the client's retry publishes for real."""
        await self._redis.delete(self._key(message_id))
