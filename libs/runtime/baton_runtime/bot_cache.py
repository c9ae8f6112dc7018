"""A replica's copy of bot settings: read from the `bots` collection, kept for a TTL, and
dropped at once when the inbox announces a change (`BotChanged`, see `bot_changes`).

The TTL is only the safety net for a change whose event this replica missed."""

import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")

DEFAULT_MAX_ENTRIES = 10_000


class BotCache(Generic[Key, Value]):
    """TTL cache whose entries a change event drops before they expire.

    A read that was in flight while an entry was dropped is returned to its caller but not
    kept: it may have read the document just before the write the event announced."""

    def __init__(
        self,
        ttl_seconds: float,
        *,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl_seconds
        self._max_entries = max_entries
        self._clock = clock
        self._entries: dict[Key, tuple[float, Value]] = {}
        # Bumped by every drop: a load that began before it may hold a stale document.
        self._epoch = 0

    async def get(self, key: Key, load: Callable[[], Awaitable[Value]]) -> Value:
        now = self._clock()
        hit = self._entries.get(key)
        if hit is not None and now - hit[0] < self._ttl:
            return hit[1]
        epoch = self._epoch
        value = await load()
        if epoch == self._epoch:
            self._keep(key, now, value)
        return value

    def drop(self, *keys: Key) -> None:
        self._epoch += 1
        for key in keys:
            self._entries.pop(key, None)

    def clear(self) -> None:
        self._epoch += 1
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def _keep(self, key: Key, now: float, value: Value) -> None:
        self._entries.pop(key, None)  # re-inserted last: the dict stays in age order
        self._entries[key] = (now, value)
        if len(self._entries) > self._max_entries:
            # Unknown bot keys are cached too (as None), so anyone can grow this: expire first,
            # then the oldest.
            for stale in [k for k, (at, _) in self._entries.items() if now - at >= self._ttl]:
                del self._entries[stale]
            while len(self._entries) > self._max_entries:
                del self._entries[next(iter(self._entries))]
