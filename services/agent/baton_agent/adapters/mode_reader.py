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

    async def for_message(self, thread_id: str, message_id: str, wait_seconds: float) -> ModeView:
        """The mode the handoff recorded right after this visitor message in the log.

        The thread's current mode could already include a later hand-back, and answering a
        message sent while a teammate held the thread would surprise everyone. If the handoff
        lags past `wait_seconds`, the current view is used: the handoff still arbitrates the
        proposal in log order, so safety never depends on this wait.
        """
        key = f"{self._prefix}mode-at:{message_id}"
        deadline = time.monotonic() + wait_seconds
        while True:
            verdict = cast(str | None, await self._redis.get(key))
            if verdict:
                mode, _, version = verdict.partition(":")
                return ModeView(ThreadMode(mode), int(version or 0), -1)
            if time.monotonic() >= deadline:
                return await self.current(thread_id)
            await asyncio.sleep(POLL_SECONDS)
