"""Which teammates are online: a sorted set per account, staff id scored by when its live
connection's heartbeat expires (ms). The agent reads it to tell visitors whether someone can
pick an escalated thread up now (key contract: `baton_contracts.redis_keys.staff_online`)."""

import time

from redis.asyncio import Redis

from baton_contracts import redis_keys

ONLINE_TTL_MS = 60_000
REFRESH_MS = 15_000


class StaffOnline:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    async def mark(self, account_id: str, staff_id: str) -> None:
        now = int(time.time() * 1000)
        key = redis_keys.staff_online(self._prefix, account_id)
        await self._redis.zadd(key, {staff_id: now + ONLINE_TTL_MS})
        await self._redis.zremrangebyscore(key, "-inf", now)
        await self._redis.pexpire(key, ONLINE_TTL_MS * 2)

    async def clear(self, account_id: str, staff_id: str) -> None:
        await self._redis.zrem(redis_keys.staff_online(self._prefix, account_id), staff_id)
