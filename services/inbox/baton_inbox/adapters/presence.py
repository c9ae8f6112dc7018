"""Who is viewing or typing in a thread, and who replied last (Redis, ephemeral).

Each thread's presence is a hash staff_id -> `StaffPresenceEntry` JSON (baton_contracts: the
agent reads it too, to pause while a teammate types). Redis 7.0 has no
per-field expiry, so readers skip expired entries and writers prune them; the hash itself
expires after an hour of silence. Browsers refresh their entry every few seconds.
"""

import json
import time
from dataclasses import asdict, dataclass

from redis.asyncio import Redis

from baton_contracts import redis_keys
from baton_contracts.live_signals import PresenceState, StaffPresenceEntry

_IDLE_KEY_SECONDS = 3600


@dataclass(frozen=True)
class Presence:
    staff_id: str
    name: str
    state: PresenceState
    expires_ms: int

    @classmethod
    def of(cls, entry: StaffPresenceEntry) -> "Presence":
        return cls(entry.staff_id, entry.name, entry.state, entry.expires_ms)

    def entry(self) -> StaffPresenceEntry:
        """As it is kept in Redis and sent to the other replicas."""
        return StaffPresenceEntry(**asdict(self))

    def public(self, now_ms: int) -> dict[str, object]:
        """What clients get: a remaining lifetime, not a server timestamp (clocks differ)."""
        return {
            "staff_id": self.staff_id,
            "name": self.name,
            "state": self.state,
            "ttl_ms": max(0, self.expires_ms - now_ms),
        }


@dataclass(frozen=True)
class RecentReply:
    staff_id: str
    name: str
    at_ms: int


def now_ms() -> int:
    return int(time.time() * 1000)


class PresenceStore:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    def _key(self, account_id: str, thread_id: str) -> str:
        return redis_keys.staff_presence(self._prefix, account_id, thread_id)

    def _index(self, account_id: str) -> str:
        return redis_keys.presence_threads(self._prefix, account_id)

    def _reply_key(self, account_id: str, thread_id: str) -> str:
        return redis_keys.last_staff_reply(self._prefix, account_id, thread_id)

    async def set(
        self,
        account_id: str,
        thread_id: str,
        staff_id: str,
        name: str,
        state: PresenceState,
        ttl_seconds: int,
    ) -> list[Presence]:
        entry = Presence(staff_id, name, state, now_ms() + ttl_seconds * 1000)
        key = self._key(account_id, thread_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, staff_id, entry.entry().model_dump_json())
            pipe.expire(key, _IDLE_KEY_SECONDS)
            pipe.sadd(self._index(account_id), thread_id)
            pipe.expire(self._index(account_id), _IDLE_KEY_SECONDS)
            await pipe.execute()
        return await self.people(account_id, thread_id)

    async def leave(self, account_id: str, thread_id: str, staff_id: str) -> list[Presence]:
        await self._redis.hdel(self._key(account_id, thread_id), staff_id)
        return await self.people(account_id, thread_id)

    async def people(self, account_id: str, thread_id: str) -> list[Presence]:
        key = self._key(account_id, thread_id)
        raw = await self._redis.hgetall(key)
        current: list[Presence] = []
        expired: list[Presence] = []
        now = now_ms()
        for value in raw.values():
            # staff_id is in the value too
            entry = Presence.of(StaffPresenceEntry.model_validate_json(value))
            (current if entry.expires_ms > now else expired).append(entry)
        if expired:
            await self._redis.hdel(key, *(entry.staff_id for entry in expired))
        return sorted(current, key=lambda entry: entry.name)

    async def account_presence(self, account_id: str) -> dict[str, list[Presence]]:
        """Every thread of the account someone is in, for a (re)connecting stream."""
        thread_ids = {str(t) for t in await self._redis.smembers(self._index(account_id))}
        out: dict[str, list[Presence]] = {}
        for thread_id in sorted(thread_ids):
            people = await self.people(account_id, thread_id)
            if people:
                out[thread_id] = people
            else:
                await self._redis.srem(self._index(account_id), thread_id)
        return out

    async def record_reply(
        self, account_id: str, thread_id: str, staff_id: str, name: str, window_seconds: int
    ) -> None:
        """Remembered for the collision window only: it exists to warn the next sender."""
        if window_seconds <= 0:
            return
        value = json.dumps(asdict(RecentReply(staff_id, name, now_ms())))
        await self._redis.set(self._reply_key(account_id, thread_id), value, ex=window_seconds)

    async def recent_reply(self, account_id: str, thread_id: str) -> RecentReply | None:
        raw = await self._redis.get(self._reply_key(account_id, thread_id))
        return RecentReply(**json.loads(raw)) if raw else None
