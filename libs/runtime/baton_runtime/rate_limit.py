"""Request rate limits in Redis, shared by every replica: N requests per subject per window.

A fixed window that starts with the subject's first request: one round trip per request, and
a burst at a window's edge can reach twice the rate at most, which is fine for stopping floods
(a script hammering the widget API), not for billing.
"""

from dataclasses import dataclass

from redis.asyncio import Redis


@dataclass(frozen=True)
class RateRule:
    """At most `limit` requests per subject within `window_seconds`."""

    name: str
    limit: int
    window_seconds: int


class RateLimiter:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    async def take(self, rule: RateRule, subject: str) -> int | None:
        """Count one request; the seconds to wait when it is over the limit, else None."""
        key = f"{self._prefix}rate:{rule.name}:{subject}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(key, 0, ex=rule.window_seconds, nx=True)
            pipe.incr(key)
            pipe.ttl(key)
            _, count, ttl = await pipe.execute()
        if int(count) <= rule.limit:
            return None
        return max(1, int(ttl))
