"""One Redis pattern subscription per inbox replica, fanned out to the streams it serves.

If the subscription breaks, or a slow stream's queue overflows, the affected streams get a
RESYNC marker: they re-read what they may have missed from MongoDB, from their own cursor,
so a lost pub/sub message costs a query, never a missed reply.
"""

import asyncio
import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.asyncio.client import PubSub

from baton_inbox.live.publisher import channel_pattern

log = structlog.get_logger()

RESYNC: dict[str, Any] = {"kind": "resync"}
QUEUE_LIMIT = 1000
RECONNECT_SECONDS = 1.0


@dataclass(eq=False)
class Listener:
    account_id: str
    # The item kinds this listener wants (None: all); RESYNC always gets through.
    kinds: frozenset[str] | None = None
    queue: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)

    def offer(self, item: dict[str, Any]) -> None:
        if self.kinds is not None and item is not RESYNC and item.get("kind") not in self.kinds:
            return
        if self.queue.qsize() >= QUEUE_LIMIT:
            # Too far behind: drop what is queued and let the stream catch up from MongoDB.
            while not self.queue.empty():
                self.queue.get_nowait()
            item = RESYNC
        self.queue.put_nowait(item)


class LiveHub:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._pattern = channel_pattern(prefix)
        self._listeners: dict[str, set[Listener]] = {}
        self._pubsub: PubSub | None = None
        self._task: asyncio.Task[None] | None = None
        self.connected = False

    async def start(self) -> None:
        await self._subscribe()
        self._task = asyncio.create_task(self._pump(), name="inbox-live-hub")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._close()

    @contextlib.contextmanager
    def listen(self, account_id: str, kinds: frozenset[str] | None = None) -> Iterator[Listener]:
        """Register before reading any backlog, so nothing published meanwhile slips by."""
        listener = Listener(account_id, kinds)
        self._listeners.setdefault(account_id, set()).add(listener)
        try:
            yield listener
        finally:
            listeners = self._listeners.get(account_id, set())
            listeners.discard(listener)
            if not listeners:
                self._listeners.pop(account_id, None)

    async def _subscribe(self) -> None:
        pubsub = self._redis.pubsub()
        await pubsub.psubscribe(self._pattern)
        # Wait for the server's confirmation: from then on every publish reaches us.
        while True:
            reply = await pubsub.get_message(timeout=5.0)
            if reply is None:
                raise ConnectionError("redis did not confirm the subscription")
            if reply.get("type") == "psubscribe":
                break
        self._pubsub = pubsub
        self.connected = True

    async def _close(self) -> None:
        self.connected = False
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()  # type: ignore[no-untyped-call]
            self._pubsub = None

    async def _pump(self) -> None:
        while True:
            try:
                if self._pubsub is None:
                    await self._subscribe()
                    self._broadcast_resync()  # whatever was published while we were away
                async for item in self._pubsub.listen():  # type: ignore[union-attr]
                    if item.get("type") == "pmessage":
                        self._route(item["data"])
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("live_subscription_lost", error=repr(exc))
                await self._close()
                await asyncio.sleep(RECONNECT_SECONDS)

    def _route(self, data: Any) -> None:
        try:
            payload: dict[str, Any] = json.loads(data)
        except ValueError:
            log.error("live_payload_unreadable")
            return
        for listener in list(self._listeners.get(str(payload.get("account_id")), ())):
            listener.offer(payload)

    def _broadcast_resync(self) -> None:
        for listeners in list(self._listeners.values()):
            for listener in list(listeners):
                listener.offer(RESYNC)
