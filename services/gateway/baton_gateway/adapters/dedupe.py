"""Remembers accepted client_message_ids so a retried send is not published twice."""

from redis.asyncio import Redis

DEDUPE_TTL_SECONDS = 7 * 24 * 3600


class SendDeduplicator:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    def _key(self, message_id: str) -> str:
        return f"{self._prefix}visitor-sent:{message_id}"

    async def first_time(self, message_id: str) -> bool:
        return bool(
            await self._redis.set(self._key(message_id), "1", nx=True, ex=DEDUPE_TTL_SECONDS)
        )

    async def forget(self, message_id: str) -> None:
        """After a failed publish, so the client's retry publishes for real."""
        await self._redis.delete(self._key(message_id))
