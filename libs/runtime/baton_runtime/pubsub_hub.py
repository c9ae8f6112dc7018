"""One Redis pattern subscription per process, fanned out to any number of local listeners.

A live stream per visitor or teammate must not cost a Redis connection each (the pool runs
out at a few hundred). The hub holds a single PSUBSCRIBE and hands each message to the
queues registered for its channel.
"""

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.asyncio.client import PubSub

log = structlog.get_logger()

QUEUE_SIZE = 64
# Put into every queue (as its channel) after the subscription was re-established or a slow
# listener's queue overflowed: listeners re-read their state, notices may have been missed.
RESYNC = "__resync__"

Notice = tuple[str, str]  # (channel, data)


class PubSubHub:
    def __init__(self, redis: Redis, pattern: str, *, queue_size: int = QUEUE_SIZE) -> None:
        self._redis = redis
        self._pattern = pattern
        self._queue_size = queue_size
        self._listeners: dict[str, set[asyncio.Queue[Notice]]] = defaultdict(set)
        self._task: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()

    @property
    def connected(self) -> bool:
        """Whether the subscription is live now (readiness: a replica without it is deaf)."""
        return self._subscribed.is_set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run())
        await asyncio.wait_for(self._subscribed.wait(), timeout=10)

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    @contextlib.asynccontextmanager
    async def listen(self, *channels: str) -> AsyncIterator[asyncio.Queue[Notice]]:
        """One queue of (channel, data) for all the given channels while the block runs."""
        queue: asyncio.Queue[Notice] = asyncio.Queue(maxsize=self._queue_size)
        for channel in channels:
            self._listeners[channel].add(queue)
        try:
            yield queue
        finally:
            for channel in channels:
                listeners = self._listeners.get(channel)
                if listeners is not None:
                    listeners.discard(queue)
                    if not listeners:
                        del self._listeners[channel]

    def listener_count(self) -> int:
        return len({id(queue) for queues in self._listeners.values() for queue in queues})

    async def _run(self) -> None:
        first = True
        while True:
            pubsub = self._redis.pubsub()
            try:
                await _confirmed_psubscribe(pubsub, self._pattern)
                self._subscribed.set()
                if not first:
                    self._broadcast(RESYNC)
                first = False
                async for item in pubsub.listen():
                    if item.get("type") == "pmessage":
                        self._dispatch(_text(item.get("channel")), _text(item.get("data")))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._subscribed.clear()
                log.warning("pubsub_hub_reconnecting", pattern=self._pattern, error=repr(exc))
                await asyncio.sleep(0.5)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]

    def _dispatch(self, channel: str, data: str) -> None:
        for queue in tuple(self._listeners.get(channel, ())):
            _offer(queue, (channel, data))

    def _broadcast(self, data: str) -> None:
        queues = {id(q): q for listeners in self._listeners.values() for q in listeners}
        for queue in queues.values():
            _offer(queue, (RESYNC, data))


async def _confirmed_psubscribe(pubsub: PubSub, pattern: str) -> None:
    """Subscribe and wait for the server's confirmation: from then on every publish reaches
    us, so a listener registered before reading its backlog cannot miss a change."""
    await pubsub.psubscribe(pattern)
    while True:
        reply = await pubsub.get_message(timeout=5.0)
        if reply is None:
            raise ConnectionError("redis did not confirm the subscription")
        if reply.get("type") == "psubscribe":
            return


def _offer(queue: asyncio.Queue[Notice], notice: Notice) -> None:
    """A slow listener never blocks the hub: its backlog collapses into one RESYNC."""
    if queue.full():
        while not queue.empty():
            queue.get_nowait()
        notice = (RESYNC, RESYNC)
    queue.put_nowait(notice)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
