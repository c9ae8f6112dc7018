"""The Bots page's live stream of one bot's ingest jobs (SSE).

Frames: `hello` ({now, heartbeat_seconds}: the stream is live), `job` (one ingest event of the
bot, as the ingest service published it on ingest.events: queued, started, progressed,
finished), `resync` (this replica's Redis subscription broke or the client fell behind: events
may be lost), and `heartbeat`. No frame carries an `id:`: the job record (GET
/v1/bots/{bot}/jobs) is the state and the events only announce its changes, so a client reads
the jobs again after every `hello` and `resync` rather than resuming from a cursor.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from baton_contracts.live_signals import IngestJobChangedItem
from baton_inbox.live.hub import LiveHub
from baton_inbox.live.stream import sse

JOB_KINDS = frozenset({"ingest"})


@dataclass
class BotJobStream:
    hub: LiveHub
    heartbeat_seconds: float

    async def run(
        self, account_id: str, bot_id: str, disconnected: Callable[[], Awaitable[bool]]
    ) -> AsyncIterator[str]:
        # Only the account's own items reach this listener (the hub routes by account), and of
        # those only this bot's jobs go out.
        async with self.hub.listen(account_id, JOB_KINDS) as listener:
            yield "retry: 1000\n\n"
            now = datetime.now(UTC).isoformat()
            yield sse("hello", {"now": now, "heartbeat_seconds": self.heartbeat_seconds})
            while True:
                try:
                    item = await asyncio.wait_for(listener.next(), self.heartbeat_seconds)
                except TimeoutError:
                    if await disconnected():
                        return
                    yield sse("heartbeat", {"now": datetime.now(UTC).isoformat()})
                    continue
                if item.kind == "resync":
                    yield sse("resync", {})
                elif isinstance(item, IngestJobChangedItem) and item.bot_id == bot_id:
                    yield sse("job", item.event)
