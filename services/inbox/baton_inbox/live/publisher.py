"""Publishes inbox changes to the account's Redis channel, after they are stored in MongoDB.

Every inbox replica listens (baton_inbox.live.hub) and forwards to the browsers connected to
it. Pub/sub is at most once; what a listener misses it reads back from MongoDB (the stream's
resume path), so the channel only has to be fast, not reliable.
"""

import json
from dataclasses import asdict
from typing import Any

from redis.asyncio import Redis

from baton_inbox.adapters.presence import Presence

# The kind of the items that carry an ingest job's events; the staff streams skip them.
INGEST_KIND = "ingest"


def account_channel(prefix: str, account_id: str) -> str:
    return f"{prefix}inbox-live:{account_id}"


def channel_pattern(prefix: str) -> str:
    return f"{prefix}inbox-live:*"


class LivePublisher:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    async def _publish(self, account_id: str, payload: dict[str, Any]) -> None:
        body = json.dumps({**payload, "account_id": account_id}, ensure_ascii=False)
        await self._redis.publish(account_channel(self._prefix, account_id), body)

    async def thread_changed(
        self,
        thread: dict[str, Any],
        partition: int,
        position: int,
        message: dict[str, Any] | None,
    ) -> None:
        """A change from the log: `thread` and `message` are the public views."""
        await self._publish(
            thread["account_id"],
            {
                "kind": "change",
                "thread_id": thread["id"],
                "partition": partition,
                "position": position,
                "thread": thread,
                "message": message,
            },
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
            account_id,
            {
                "kind": "meta",
                "thread_id": thread_id,
                "at_ms": at_ms,
                "thread": thread,
                "note": note,
            },
        )

    async def visitor_sees_typing(self, thread_id: str, staff_name: str, typing: bool) -> None:
        """Tell the visitor's widget (gateway channel `{prefix}thread-live:{thread_id}`) that a
        teammate is typing; only the first name leaves the inbox."""
        payload = {
            "type": "typing",
            "author": "staff",
            "name": staff_name.split(" ")[0][:80],
            "typing": typing,
        }
        await self._redis.publish(f"{self._prefix}thread-live:{thread_id}", json.dumps(payload))

    async def presence_changed(
        self, account_id: str, thread_id: str, people: list[Presence]
    ) -> None:
        await self._publish(
            account_id,
            {"kind": "presence", "thread_id": thread_id, "people": [asdict(p) for p in people]},
        )

    async def ingest_job_changed(self, account_id: str, event: dict[str, Any]) -> None:
        """An ingest job of one of the account's bots moved on: `event` is the ingest event as
        JSON (baton_events.ingest), for the Bots pages that follow the bot's jobs."""
        await self._publish(
            account_id, {"kind": INGEST_KIND, "bot_id": event["bot_id"], "event": event}
        )
