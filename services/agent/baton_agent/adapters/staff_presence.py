"""Whether any teammate of an account is online: the inbox keeps a sorted set of staff ids
scored by when their live connection's heartbeat expires (ms since the epoch)."""

import time

from redis.asyncio import Redis

from baton_contracts import redis_keys


class StaffPresence:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    async def anyone_online(self, account_id: str) -> bool:
        now_ms = int(time.time() * 1000)
        count: int = await self._redis.zcount(
            redis_keys.staff_online(self._prefix, account_id), now_ms, "+inf"
        )
        return count > 0
