"""Each query kind Baton's services send to the document store, as one benchmark step.

Each step mirrors the adapter method in its name (services/<svc>/baton_<svc>/adapters/...),
on a thread picked at random among those seeded. `hot` marks the ones sent per message or per
heartbeat of every connected client; the others run per staff page load or per timer tick.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING

from tests.bench.store_workload import ACCOUNT_ID, STAFF_ID, QueryKind, Workload


async def gateway_messages_since(w: Workload) -> object:
    """VisibleMessages.since: a widget stream catching up (the last message is new to it)."""
    thread = w.some_thread()
    cursor = w.db.gateway_messages.find(
        {"thread_id": thread.thread_id, "position": {"$gt": thread.positions[-2]}}
    ).sort("position", ASCENDING)
    return [doc async for doc in cursor]


async def gateway_message_insert(w: Workload) -> object:
    """VisibleMessages.add: one message becomes visible (the store grows by it)."""
    thread = w.some_thread()
    position = w.next_position(thread.partition)
    return await w.db.gateway_messages.insert_one(
        {
            "_id": uuid.uuid4().hex,
            "thread_id": thread.thread_id,
            "position": position,
            "text": "one more question",
            "created_at": datetime.now(UTC),
            "sources": [],
            "author": "visitor",
        }
    )


async def gateway_last_staff_position(w: Workload) -> object:
    """VisibleMessages.last_staff_position: before each AI reply is shown."""
    return await w.db.gateway_threads.find_one({"_id": w.some_thread().thread_id})


async def gateway_session_apply(w: Workload) -> object:
    """WidgetSessions.apply: a mode change or escalation folded into the widget's state."""
    thread_id = w.some_thread().thread_id
    await w.db.gateway_sessions.find_one({"_id": thread_id}, {"state_position": 1})
    return await w.db.gateway_sessions.update_one(
        {"_id": thread_id}, {"$set": {"mode": "ai", "state_position": 10**9}}, upsert=True
    )


async def inbox_thread_by_id(w: Workload) -> object:
    """ThreadStore.thread: after every event, to publish the thread's new view."""
    return await w.db.inbox_threads.find_one({"_id": w.some_thread().thread_id})


async def inbox_apply(w: Workload) -> object:
    """ThreadStore.apply: the position-guarded fold of one event into the thread."""
    thread = w.some_thread()
    return await w.db.inbox_threads.update_one(
        {"_id": thread.thread_id, "last_position": {"$lt": 10**9}},
        {"$set": {"last_message_at": datetime.now(UTC), "last_position": thread.positions[-1]}},
    )


async def inbox_list_threads(w: Workload) -> object:
    """ThreadStore.list_threads: the inbox's thread list (default limit 100)."""
    cursor = (
        w.db.inbox_threads.find({"account_id": ACCOUNT_ID})
        .sort("created_at", DESCENDING)
        .limit(100)
    )
    return [doc async for doc in cursor]


async def inbox_thread_detail(w: Workload) -> object:
    """ThreadStore.get_thread then ThreadStore.messages: a teammate opens a thread."""
    thread_id = w.some_thread().thread_id
    await w.db.inbox_threads.find_one({"_id": thread_id, "account_id": ACCOUNT_ID})
    cursor = w.db.inbox_messages.find({"thread_id": thread_id}).sort("position", ASCENDING)
    return [doc async for doc in cursor]


async def inbox_positions(w: Workload) -> object:
    """ThreadStore.positions: the stream cursor read with every thread list."""
    out: dict[int, int] = {}
    for partition in await w.db.inbox_threads.distinct("partition", {"account_id": ACCOUNT_ID}):
        doc = await w.db.inbox_threads.find_one(
            {"account_id": ACCOUNT_ID, "partition": partition},
            sort=[("last_position", DESCENDING)],
        )
        if doc is not None:
            out[partition] = int(doc["last_position"])
    return out


async def inbox_changed_since(w: Workload) -> object:
    """ThreadStore.changed_since: an inbox stream resuming after a short gap."""
    heads = {p: max(0, head - 5) for p, head in enumerate(w.partition_heads)}
    branches: list[dict[str, Any]] = [
        {"partition": p, "last_position": {"$gt": position}} for p, position in heads.items()
    ]
    branches.append({"partition": {"$exists": True, "$nin": list(heads)}})
    branches.append({"meta_at": {"$gt": datetime.now(UTC) - timedelta(seconds=30)}})
    cursor = (
        w.db.inbox_threads.find({"account_id": ACCOUNT_ID, "$or": branches})
        .sort("last_position", ASCENDING)
        .limit(200)
    )
    return [doc async for doc in cursor]


async def inbox_messages_after(w: Workload) -> object:
    """ThreadStore.messages_after: the resumed stream's messages, for the changed threads."""
    threads = random.sample(w.threads, min(5, len(w.threads)))
    query = {
        "$or": [{"thread_id": t.thread_id, "position": {"$gt": t.positions[-2]}} for t in threads]
    }
    cursor = w.db.inbox_messages.find(query).sort("position", ASCENDING).limit(500)
    return [doc async for doc in cursor]


async def handoff_load_save(w: Workload) -> object:
    """ModeStore.load then ModeStore.save: the handoff's fold of one event."""
    thread_id = w.some_thread().thread_id
    doc = await w.db.handoff_threads.find_one({"_id": thread_id})
    assert doc is not None
    return await w.db.handoff_threads.update_one(
        {"_id": thread_id}, {"$set": {"last_position": int(doc["last_position"]) + 1}}, upsert=True
    )


async def handoff_due_for_handback(w: Workload) -> object:
    """ModeStore.due_for_handback: the idle timer's tick (every second)."""
    cursor = w.db.handoff_threads.find(
        {"mode": "human", "handback_deadline": {"$lte": w.started_at}}
    ).limit(500)
    return [doc async for doc in cursor]


async def staff_by_id(w: Workload) -> object:
    """Accounts.staff_by_id: every authenticated inbox request."""
    return await w.db.staff.find_one({"_id": STAFF_ID})


@dataclass(frozen=True)
class Kind:
    run: QueryKind
    hot: bool


KINDS: dict[str, Kind] = {
    "gateway.messages_since": Kind(gateway_messages_since, hot=True),
    "gateway.message_insert": Kind(gateway_message_insert, hot=True),
    "gateway.last_staff_position": Kind(gateway_last_staff_position, hot=True),
    "gateway.session_apply": Kind(gateway_session_apply, hot=False),
    "inbox.thread_by_id": Kind(inbox_thread_by_id, hot=True),
    "inbox.apply": Kind(inbox_apply, hot=True),
    "inbox.list_threads": Kind(inbox_list_threads, hot=False),
    "inbox.thread_detail": Kind(inbox_thread_detail, hot=False),
    "inbox.positions": Kind(inbox_positions, hot=False),
    "inbox.changed_since": Kind(inbox_changed_since, hot=False),
    "inbox.messages_after": Kind(inbox_messages_after, hot=False),
    "handoff.load_save": Kind(handoff_load_save, hot=True),
    "handoff.due_for_handback": Kind(handoff_due_for_handback, hot=False),
    "accounts.staff_by_id": Kind(staff_by_id, hot=False),
}
