"""Reads the handoff service's hot copy of a thread's mode (Redis)."""

import asyncio
import time
from dataclasses import dataclass
from typing import cast

from redis.asyncio import Redis

from baton_events import ThreadMode

POLL_SECONDS = 0.01


@dataclass(frozen=True)
class ModeView:
    mode: ThreadMode
    version: int
    position: int


class ModeReader:
    def __init__(self, redis: Redis, redis_prefix: str) -> None:
        self._redis = redis
        self._prefix = redis_prefix

    async def current(self, thread_id: str) -> ModeView:
        """A thread the handoff has not folded yet is AI-owned at version 0."""
        hot = cast(dict[str, str], await self._redis.hgetall(f"{self._prefix}mode:{thread_id}"))
        if not hot:
            return ModeView(ThreadMode.AI, 0, -1)
        return ModeView(ThreadMode(hot["mode"]), int(hot["version"]), int(hot.get("position", -1)))

    async def at_or_after(self, thread_id: str, position: int, wait_seconds: float) -> ModeView:
        """The mode once the projection has folded the log up to `position`.

        Reading earlier could see a hand-back or a reopen not yet applied and stay silent
        wrongly. If the handoff lags past `wait_seconds`, the latest view is returned: the handoff
        still arbitrates the proposal in log order, so safety never depends on this wait.
        """
        deadline = time.monotonic() + wait_seconds
        while True:
            view = await self.current(thread_id)
            if view.position >= position or time.monotonic() >= deadline:
                return view
            await asyncio.sleep(POLL_SECONDS)
