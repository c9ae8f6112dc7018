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

    async def count_failure(self, rule: AttemptRule, subject: str, *, sliding: bool) -> int:
        """Count one failure of one subject; how many there are now. `sliding`: the window
        restarts with each failure instead of with the first."""
        key = self._key(rule, subject)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(key, 0, ex=rule.window_seconds, nx=True)
            pipe.incr(key)
            if sliding:
                pipe.expire(key, rule.window_seconds)
            results = await pipe.execute()
        return int(results[1])

    async def hold(self, rule: AttemptRule, subject: str, seconds: int) -> None:
        """Lock the subject out under this rule for `seconds` (max_failures is then reached)."""
        await self._redis.set(self._key(rule, subject), rule.max_failures, ex=seconds)


@dataclass(frozen=True)
class BackoffRule:
    """The first `free_failures` failures cost nothing; each one after doubles the wait before
    the next try, from `base_seconds` up to `max_seconds`. Failures are forgotten
    `window_seconds` after the last one. No fixed lock-out: a wait ends on its own, soon."""

    name: str
    free_failures: int
    base_seconds: int
    max_seconds: int
    window_seconds: int

    @property
    def counter(self) -> AttemptRule:
        return AttemptRule(self.name, self.free_failures, self.window_seconds)

    @property
    def wait(self) -> AttemptRule:
        return AttemptRule(f"{self.name}-wait", 1, self.max_seconds)

    def wait_after(self, failures: int) -> int | None:
        """Seconds to wait after this many failures in a row, or None."""
        beyond = failures - self.free_failures
        if beyond <= 0:
            return None
        return min(self.max_seconds, self.base_seconds << min(beyond - 1, 32))


class Backoff:
    """Exponential back-off per subject, on the same Redis counters as `FailedAttempts`."""

    def __init__(self, attempts: FailedAttempts) -> None:
        self._attempts = attempts

    async def waiting(self, rule: BackoffRule, subject: str) -> int | None:
        return await self._attempts.locked_for([(rule.wait, subject)])

    async def record_failure(self, rule: BackoffRule, subject: str) -> int:
        """Count a failure, start the wait it calls for; how many failures there are now."""
        failures = await self._attempts.count_failure(rule.counter, subject, sliding=True)
        wait = rule.wait_after(failures)
        if wait is not None:
            await self._attempts.hold(rule.wait, subject, wait)
        return failures

    async def clear(self, rule: BackoffRule, subject: str) -> None:
        await self._attempts.clear(rule.counter, subject)
        await self._attempts.clear(rule.wait, subject)
