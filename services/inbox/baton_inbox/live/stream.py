"""The staff live stream (SSE): resume from a cursor, then forward live changes.

Frames: `hello` (the stream is live), `change` ({thread_id, seq, thread?, message?}), `note`,
`presence`, `typing` ({thread_id, typing}: the visitor is typing in the widget; it lapses
after a few seconds unless renewed), `heartbeat` (every few seconds, so a client can tell a
dead connection from a quiet one) and `gap` (this stream cannot resume: reload, then reconnect
without a cursor). Only frames that move the cursor carry an `id:` (the encoded cursor); EventSource sends the last one
back as Last-Event-ID when it reconnects. A backlog puts its id on its last frame only, so a
connection cut half-way through replays it rather than skipping the rest.
"""

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from baton_contracts.live_signals import (
    IngestJobChangedItem,
    PresenceChangedItem,
    ThreadChangedItem,
    ThreadMetaChangedItem,
)
from baton_inbox.adapters.notes import NoteStore
from baton_inbox.adapters.presence import Presence, PresenceStore, now_ms
from baton_inbox.adapters.threads import ThreadStore
from baton_inbox.live.cursor import StreamCursor
from baton_inbox.live.hub import LiveHub, LiveItem, Resync
from baton_inbox.views import message_view, note_view, presence_view, thread_view

Frame = tuple[str, dict[str, Any]]
# What the hub carries about threads; ingest job items go to the Bots page's stream only.
THREAD_KINDS = frozenset({"change", "meta", "presence", "typing"})


class GapError(Exception):
    """What the client missed cannot be replayed; it must reload."""


def sse(event: str, data: dict[str, Any], cursor: StreamCursor | None = None) -> str:
    head = f"id: {cursor.encode()}\n" if cursor is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def change(thread_id: str, seq: int | None, thread: Any = None, message: Any = None) -> Frame:
    return "change", {"thread_id": thread_id, "seq": seq, "thread": thread, "message": message}


@dataclass
class StreamScope:
    account_id: str
    thread_id: str | None  # one thread's stream, or the whole account's

    def wants(self, thread_id: str) -> bool:
        return self.thread_id is None or self.thread_id == thread_id


@dataclass
class StaffStream:
    threads: ThreadStore
    notes: NoteStore
    presence: PresenceStore
    hub: LiveHub
    heartbeat_seconds: float
    backlog_limit: int

    async def run(
        self,
        scope: StreamScope,
        start: StreamCursor | None,
        refusal: str | None,
        disconnected: Callable[[], Awaitable[bool]],
    ) -> AsyncIterator[str]:
        async with self.hub.listen(scope.account_id, THREAD_KINDS) as listener:
            yield "retry: 1000\n\n"
            if refusal is not None:
                yield sse("gap", {"reason": refusal})
                return
            cursor = start or StreamCursor(
                positions=await self.threads.positions(scope.account_id), meta_ms=now_ms()
            )
            hello = {"resumed": start is not None, "now": datetime.now(UTC).isoformat()}
            yield sse("hello", hello, cursor)
            resync = start is not None
            while True:
                if resync:
                    resync = False
                    try:
                        frames, cursor = await self._backlog(scope, cursor)
                    except GapError as gap:
                        yield sse("gap", {"reason": str(gap)})
                        return
                    for index, (event, data) in enumerate(frames):
                        yield sse(event, data, cursor if index == len(frames) - 1 else None)
                    for event, data in await self._presence_snapshot(scope):
                        yield sse(event, data)
                try:
                    item = await asyncio.wait_for(listener.next(), self.heartbeat_seconds)
                except TimeoutError:
                    if await disconnected():
                        return
                    yield sse("heartbeat", {"now": datetime.now(UTC).isoformat()})
                    continue
                if item.kind == "resync":
                    resync = True
                else:
                    text, cursor = self._live(scope, item, cursor)
                    if text:
                        yield text

    def _live(
        self, scope: StreamScope, item: LiveItem, cursor: StreamCursor
    ) -> tuple[str | None, StreamCursor]:
        if isinstance(item, IngestJobChangedItem | Resync) or not scope.wants(item.thread_id):
            return None, cursor
        thread_id = item.thread_id
        if isinstance(item, ThreadChangedItem):
            if cursor.has_seen(item.partition, item.position):
                return None, cursor  # already sent by a backlog, or a redelivered event
            cursor = cursor.advanced(item.partition, item.position)
            event, data = change(thread_id, item.position, item.thread, item.message)
            return sse(event, data, cursor), cursor
        if isinstance(item, ThreadMetaChangedItem):
            cursor = cursor.with_meta(item.at_ms)
            if item.note is not None:
                return sse("note", {"thread_id": thread_id, "note": item.note}, cursor), cursor
            thread = item.thread
            event, data = change(thread_id, thread["seq"] if thread else None, thread)
            return sse(event, data, cursor), cursor
        if isinstance(item, PresenceChangedItem):
            people = [Presence.of(person) for person in item.people]
            data = {"thread_id": thread_id, "people": presence_view(people, now_ms())}
            return sse("presence", data), cursor
        return sse("typing", {"thread_id": thread_id, "typing": item.typing}), cursor

    async def _backlog(
        self, scope: StreamScope, cursor: StreamCursor
    ) -> tuple[list[Frame], StreamCursor]:
        """Frames for everything after `cursor` in the store, and the cursor after them."""
        account_id, limit = scope.account_id, self.backlog_limit
        stored = await self.threads.positions(account_id)
        if any(position > stored.get(p, -1) for p, position in cursor.positions.items()):
            raise GapError("the inbox store no longer holds this position")
        replay_from = now_ms()
        meta_since = datetime.fromtimestamp(cursor.meta_replay_from_ms / 1000, UTC)
        changed = await self.threads.changed_since(
            account_id, cursor.positions, meta_since, scope.thread_id, limit + 1
        )
        after = {
            str(doc["_id"]): cursor.after(doc["partition"])
            for doc in changed
            if isinstance(doc.get("partition"), int)
        }
        messages = await self.threads.messages_after(after, limit + 1)
        notes = await self.notes.since(account_id, meta_since, scope.thread_id, limit + 1)
        if len(changed) + len(messages) + len(notes) > limit:
            raise GapError("too much changed since this cursor")
        frames: list[Frame] = []
        for doc in changed:
            view = thread_view(doc)
            frames.append(change(view["id"], view["seq"], thread=view))
        for doc in messages:
            view = message_view(doc)
            frames.append(change(view["thread_id"], view["position"], message=view))
        for doc in notes:
            frames.append(("note", {"thread_id": doc["thread_id"], "note": note_view(doc)}))
        # Advance to what was stored *before* the queries ran: the handler folds a partition
        # in order, so everything up to `stored` is in what they read. Later changes may be in
        # it too; they come again live and the client drops the repeat.
        for partition, position in stored.items():
            cursor = cursor.advanced(partition, position)
        return frames, cursor.with_meta(replay_from)

    async def _presence_snapshot(self, scope: StreamScope) -> list[Frame]:
        now = now_ms()
        everyone = await self.presence.account_presence(scope.account_id)
        return [
            ("presence", {"thread_id": thread_id, "people": presence_view(people, now)})
            for thread_id, people in everyone.items()
            if scope.wants(thread_id)
        ]
