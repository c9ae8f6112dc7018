"""Failed-attempt counters in Redis, shared by every replica: too many failures lock a key out.

Each key counts failures in a window that starts with its first failure (a fixed window, so a
lock-out ends on its own); a success clears the key. Used to slow password guessing.

The key names are the caller's (baton_contracts.redis_keys.failed_attempts): this module counts.
"""

from collections.abc import Callable
from dataclasses import dataclass

from redis.asyncio import Redis


@dataclass(frozen=True)
class AttemptRule:
    """At most `max_failures` failures per key within `window_seconds`."""

    name: str
    max_failures: int
    window_seconds: int


# A rule and the subject it counts for (an e-mail, an address).
AttemptCheck = tuple[AttemptRule, str]
# The Redis key counting one rule's failures for one subject: (rule name, subject) -> key.
AttemptKey = Callable[[str, str], str]


class FailedAttempts:
    def __init__(self, redis: Redis, key_for: AttemptKey) -> None:
        self._redis = redis
        self._key_for = key_for

    def _key(self, rule: AttemptRule, subject: str) -> str:
        return self._key_for(rule.name, subject)

    async def locked_for(self, checks: list[AttemptCheck]) -> int | None:
        """Seconds until the longest applicable lock-out ends, or None when none applies."""
        waits: list[int] = []
        for rule, subject in checks:
            key = self._key(rule, subject)
            count = await self._redis.get(key)
            if count is not None and int(count) >= rule.max_failures:
                ttl = await self._redis.ttl(key)
                waits.append(max(1, int(ttl)))
        return max(waits) if waits else None

    async def record_failure(self, checks: list[AttemptCheck]) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            for rule, subject in checks:
                key = self._key(rule, subject)
                # The window starts at the first failure; INCR keeps the TTL, so later failures
                # never push it back.
                pipe.set(key, 0, ex=rule.window_seconds, nx=True)
                pipe.incr(key)
            await pipe.execute()

    async def clear(self, rule: AttemptRule, subject: str) -> None:
        await self._redis.delete(self._key(rule, subject))
