"""Reads the handoff service's hot copy of a thread's mode (Redis)."""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import cast

from redis.asyncio import Redis

from baton_contracts import redis_keys
from baton_contracts.mode_copy import HotMode, ModeVerdict
from baton_events import ThreadMode
from baton_runtime.pubsub_hub import Notice, PubSubHub

# Without a hub (tools, tests of the reader alone) the verdict is polled this often.
POLL_SECONDS = 0.01


@dataclass(frozen=True)
class ModeView:
    mode: ThreadMode
    version: int
    position: int


class ModeReader:
    def __init__(self, redis: Redis, redis_prefix: str, signals: PubSubHub | None = None) -> None:
        self._redis = redis
        self._prefix = redis_prefix
        self._signals = signals

    async def current(self, thread_id: str) -> ModeView:
        """A thread the handoff has not folded yet is AI-owned at version 0."""
        hot = cast(
            dict[str, str],
            await self._redis.hgetall(redis_keys.thread_mode(self._prefix, thread_id)),
        )
        if not hot:
            return ModeView(ThreadMode.AI, 0, -1)
        copy = HotMode.model_validate(hot)
        return ModeView(ThreadMode(copy.mode), copy.version, copy.position)

    async def for_message(self, thread_id: str, message_id: str, wait_seconds: float) -> ModeView:
        """The mode the handoff recorded right after this visitor message in the log.

        The thread's current mode could already include a later hand-back, and answering a
        message sent while a teammate held the thread would surprise everyone. If the handoff
        lags past `wait_seconds`, the current view is used: the handoff still arbitrates the
        proposal in log order, so safety never depends on this wait.
        """
        deadline = time.monotonic() + wait_seconds
        channel = redis_keys.mode_at_message_signal(self._prefix, message_id)
        async with self._wake_ups(channel) as wake_ups:
            # Listening before the first read: a verdict written in between still wakes us.
            while True:
                verdict = await self._verdict(message_id)
                if verdict is not None:
                    return verdict
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return await self.current(thread_id)
                if wake_ups is None:
                    await asyncio.sleep(min(POLL_SECONDS, remaining))
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake_ups.get(), timeout=remaining)

    async def _verdict(self, message_id: str) -> ModeView | None:
        verdict = cast(
            str | None, await self._redis.get(redis_keys.mode_at_message(self._prefix, message_id))
        )
        if not verdict:
            return None
        decoded = ModeVerdict.decode(verdict)
        return ModeView(ThreadMode(decoded.mode), decoded.version, -1)

    @contextlib.asynccontextmanager
    async def _wake_ups(self, channel: str) -> AsyncIterator[asyncio.Queue[Notice] | None]:
        if self._signals is None:
            yield None
            return
        async with self._signals.listen(channel) as queue:
            yield queue
