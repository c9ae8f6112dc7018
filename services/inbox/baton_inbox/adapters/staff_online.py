"""Which teammates are online: a sorted set per account, staff id scored by when its live
connection's heartbeat expires (ms). The agent reads it to tell visitors whether someone can
pick an escalated thread up now (key contract: `{prefix}staff-online:{account_id}`)."""

import time

from redis.asyncio import Redis

ONLINE_TTL_MS = 60_000
REFRESH_MS = 15_000


def online_key(prefix: str, account_id: str) -> str:
    return f"{prefix}staff-online:{account_id}"


class StaffOnline:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    async def mark(self, account_id: str, staff_id: str) -> None:
        now = int(time.time() * 1000)
        key = online_key(self._prefix, account_id)
        await self._redis.zadd(key, {staff_id: now + ONLINE_TTL_MS})
        await self._redis.zremrangebyscore(key, "-inf", now)
        await self._redis.pexpire(key, ONLINE_TTL_MS * 2)

    async def clear(self, account_id: str, staff_id: str) -> None:
        await self._redis.zrem(online_key(self._prefix, account_id), staff_id)
