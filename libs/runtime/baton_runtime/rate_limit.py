"""Request rate limits in Redis, shared by every replica: N requests per subject per window.

A fixed window that starts with the subject's first request: one round trip per request, and
a burst at a window's edge can reach twice the rate at most, which is fine for stopping floods
(a script hammering the widget API), not for billing.

The key names are the caller's (baton_contracts.redis_keys.rate_limit): this module counts.
"""

from collections.abc import Callable
from dataclasses import dataclass

from redis.asyncio import Redis


@dataclass(frozen=True)
class RateRule:
    """At most `limit` requests per subject within `window_seconds`."""

    name: str
    limit: int
    window_seconds: int


# The Redis key counting one rule's requests for one subject: (rule name, subject) -> key.
RateKey = Callable[[str, str], str]


class RateLimiter:
    def __init__(self, redis: Redis, key_for: RateKey) -> None:
        self._redis = redis
        self._key_for = key_for

    async def take(self, rule: RateRule, subject: str) -> int | None:
        """Count one request; the seconds to wait when it is over the limit, else None."""
        key = self._key_for(rule.name, subject)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(key, 0, ex=rule.window_seconds, nx=True)
            pipe.incr(key)
            pipe.ttl(key)
            _, count, ttl = await pipe.execute()
        if int(count) <= rule.limit:
            return None
        return max(1, int(ttl))
