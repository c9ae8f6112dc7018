"""Publishes inbox changes to the account's Redis channel, after they are stored in MongoDB.

Every inbox replica listens (baton_inbox.live.hub) and forwards to the browsers connected to
it. Pub/sub is at most once; what a listener misses it reads back from MongoDB (the stream's
resume path), so the channel only has to be fast, not reliable. The items are
`baton_contracts.live_signals.InboxLiveItem`; the gateway publishes visitor typing there too.
"""

from typing import Any

from redis.asyncio import Redis

from baton_contracts import redis_keys
from baton_contracts.live_signals import (
    InboxLiveItem,
    IngestJobChangedItem,
    PresenceChangedItem,
    StaffTypingSignal,
    ThreadChangedItem,
    ThreadMetaChangedItem,
)
from baton_inbox.adapters.presence import Presence


class LivePublisher:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    async def _publish(self, item: InboxLiveItem) -> None:
        channel = redis_keys.inbox_live(self._prefix, item.account_id)
        await self._redis.publish(channel, item.model_dump_json())

    async def thread_changed(
        self,
        thread: dict[str, Any],
        partition: int,
        position: int,
        message: dict[str, Any] | None,
    ) -> None:
        """A change from the log: `thread` and `message` are the public views."""
        await self._publish(
            ThreadChangedItem(
                account_id=thread["account_id"],
                thread_id=thread["id"],
                partition=partition,
                position=position,
                thread=thread,
                message=message,
            )
        )

    async def meta_changed(
        self,
        account_id: str,
        thread_id: str,
        at_ms: int,
        thread: dict[str, Any] | None = None,
        note: dict[str, Any] | None = None,
    ) -> None:
        """A teammate's change that is not in the log (assignee, a private note)."""
        await self._publish(
            ThreadMetaChangedItem(
                account_id=account_id, thread_id=thread_id, at_ms=at_ms, thread=thread, note=note
            )
        )

    async def visitor_sees_typing(self, thread_id: str, staff_name: str, typing: bool) -> None:
        """Tell the visitor's widget (the gateway's `redis_keys.thread_live` channel) that a
        teammate is typing; only the first name leaves the inbox."""
        signal = StaffTypingSignal(name=staff_name.split(" ")[0], typing=typing)
        channel = redis_keys.thread_live(self._prefix, thread_id)
        await self._redis.publish(channel, signal.model_dump_json())

    async def presence_changed(
        self, account_id: str, thread_id: str, people: list[Presence]
    ) -> None:
        await self._publish(
            PresenceChangedItem(
                account_id=account_id,
                thread_id=thread_id,
                people=[person.entry() for person in people],
            )
        )

    async def ingest_job_changed(self, account_id: str, event: dict[str, Any]) -> None:
        """An ingest job of one of the account's bots moved on: `event` is the ingest event as
        JSON (baton_events.ingest), for the Bots pages that follow the bot's jobs."""
        await self._publish(
            IngestJobChangedItem(account_id=account_id, bot_id=event["bot_id"], event=event)
        )
