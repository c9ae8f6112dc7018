"""The inbox's live items per account, over the replica's one Redis pattern subscription
(`baton_runtime.pubsub_hub.PubSubHub`, which the gateway and the agent use too).

If the subscription breaks, or a slow stream's queue overflows, the affected streams get a
RESYNC item: they re-read what they may have missed from MongoDB, from their own cursor, so a
lost pub/sub message costs a query, never a missed reply.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Literal

import structlog
from redis.asyncio import Redis

from baton_contracts import redis_keys
from baton_contracts.live_signals import InboxLiveItem, parse_inbox_live_item
from baton_runtime.pubsub_hub import RESYNC as RESYNC_CHANNEL
from baton_runtime.pubsub_hub import Notice, PubSubHub

log = structlog.get_logger()


@dataclass(frozen=True)
class Resync:
    """Items may have been lost: re-read from the store."""

    kind: Literal["resync"] = "resync"


RESYNC = Resync()
LiveItem = InboxLiveItem | Resync
# A stream this far behind drops its queue and catches up from MongoDB instead.
QUEUE_LIMIT = 1000


@dataclass(eq=False)
class Listener:
    notices: asyncio.Queue[Notice]
    # The item kinds this listener wants (None: all); RESYNC always gets through.
    kinds: frozenset[str] | None = None

    async def next(self) -> LiveItem:
        while True:
            channel, data = await self.notices.get()
            if channel == RESYNC_CHANNEL:
                return RESYNC
            item = parse_inbox_live_item(data)
            if item is None:
                log.error("live_payload_unreadable", channel=channel)
                continue
            if self.kinds is None or item.kind in self.kinds:
                return item


class LiveHub:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._prefix = prefix
        self.notices = PubSubHub(
            redis, redis_keys.inbox_live_pattern(prefix), queue_size=QUEUE_LIMIT
        )

    @property
    def connected(self) -> bool:
        return self.notices.connected

    async def start(self) -> None:
        await self.notices.start()

    async def stop(self) -> None:
        await self.notices.stop()

    def channel(self, account_id: str) -> str:
        return redis_keys.inbox_live(self._prefix, account_id)

    @contextlib.asynccontextmanager
    async def listen(
        self, account_id: str, kinds: frozenset[str] | None = None
    ) -> AsyncIterator[Listener]:
        """Register before reading any backlog, so nothing published meanwhile slips by."""
        async with self.notices.listen(self.channel(account_id)) as queue:
            yield Listener(queue, kinds)
