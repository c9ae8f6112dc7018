"""Ephemeral live signals of a thread over Redis pub/sub: typing, and "the session state
changed". Nothing here is durable or goes to Kafka; a signal missed is simply not shown.

Channel `{prefix}thread-live:{thread_id}`, JSON payloads:
  {"type": "typing", "author": "staff" | "visitor", "name": "Alex", "typing": true}
  {"type": "state"}
The inbox publishes staff typing there; the gateway publishes visitor typing and state pings.
"""

import json
import time
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis

from baton_runtime.pubsub_hub import RESYNC, PubSubHub

MAX_NAME_CHARS = 80


@dataclass(frozen=True)
class Signal:
    """`kind` is "messages" (the visible messages changed), "state", "typing", or "resync"
    (the subscription was re-established: re-read everything, notices may have been lost)."""

    kind: str
    payload: dict[str, Any] = field(default_factory=dict)


class LiveSignals:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix
        # One Redis subscription per process for every stream: a connection each would run
        # the pool dry at a few hundred visitors.
        self.hub = PubSubHub(redis, f"{prefix}thread-*")

    def channel(self, thread_id: str) -> str:
        return f"{self._prefix}thread-live:{thread_id}"

    async def typing(self, thread_id: str, author: str, typing: bool, name: str = "") -> None:
        payload = {"type": "typing", "author": author, "name": name[:MAX_NAME_CHARS]}
        await self._publish(thread_id, {**payload, "typing": typing})

    async def state_changed(self, thread_id: str) -> None:
        await self._publish(thread_id, {"type": "state"})

    async def team_online(self, account_id: str) -> bool:
        """Whether a teammate of the account has the inbox open: the inbox keeps a sorted set
        of staff ids scored by heartbeat expiry (ms), key `{prefix}staff-online:{account_id}`."""
        now_ms = int(time.time() * 1000)
        key = f"{self._prefix}staff-online:{account_id}"
        return int(await self._redis.zcount(key, now_ms, "+inf")) > 0

    async def _publish(self, thread_id: str, payload: dict[str, Any]) -> None:
        await self._redis.publish(self.channel(thread_id), json.dumps(payload))

    async def listen(
        self, thread_id: str, messages_channel: str
    ) -> AsyncGenerator[Signal | None, None]:
        """Yields None once listening on both channels, then one Signal per notification."""
        async with self.hub.listen(messages_channel, self.channel(thread_id)) as notices:
            yield None
            while True:
                channel, data = await notices.get()
                if (signal := _signal(channel, data, messages_channel)) is not None:
                    yield signal


def _signal(channel: str, data: str, messages_channel: str) -> Signal | None:
    if channel == RESYNC:
        return Signal("resync")
    return Signal("messages") if channel == messages_channel else _live_signal(data)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _live_signal(data: Any) -> Signal | None:
    """Malformed payloads (another publisher's bug) are dropped, never crash a stream."""
    try:
        payload = json.loads(_text(data))
    except ValueError:
        return None
    if not isinstance(payload, dict) or payload.get("type") not in ("typing", "state"):
        return None
    return Signal(str(payload["type"]), payload)
