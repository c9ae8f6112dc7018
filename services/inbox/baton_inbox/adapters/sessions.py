"""Signed-out sessions (Redis). Staff tokens are signed and expire on their own; logging out
adds the session id here until the token would have expired anyway."""

from redis.asyncio import Redis

from baton_contracts import redis_keys


class RevokedSessions:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    def _key(self, session_id: str) -> str:
        return redis_keys.revoked_staff_session(self._prefix, session_id)

    async def revoke(self, session_id: str, ttl_seconds: int) -> None:
        await self._redis.set(self._key(session_id), "1", ex=max(1, ttl_seconds))

    async def is_revoked(self, session_id: str) -> bool:
        return bool(await self._redis.exists(self._key(session_id)))
