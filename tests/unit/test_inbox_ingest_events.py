"""The inbox's side of ingest.events: each job event goes to its bot's account only (bot ->
account cached), old or unknown-bot events are dropped, a failure is not swallowed (the record
comes again), and the Bots page's stream forwards the one bot's jobs and nothing else."""

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from faststream.kafka import TestKafkaBroker
from redis.asyncio import Redis

from baton_contracts import redis_keys
from baton_contracts.live_signals import IngestJobChangedItem, VisitorTypingItem
from baton_events.codec import encode_event
from baton_events.ingest import IngestJobFinished, IngestJobProgressed, IngestSource
from baton_inbox.adapters.bot_accounts import BotAccounts
from baton_inbox.adapters.threads import ThreadStore
from baton_inbox.app import build_event_broker
from baton_inbox.ingest_events import MAX_EVENT_AGE, forward
from baton_inbox.live.hub import Listener, LiveHub
from baton_inbox.live.jobs import BotJobStream
from baton_inbox.live.publisher import LivePublisher
from baton_inbox.live.stream import THREAD_KINDS
from baton_inbox.ports import InboxAdapters
from baton_inbox.settings import InboxSettings
from baton_runtime.kafka import topics_for
from baton_runtime.pubsub_hub import RESYNC as RESYNC_CHANNEL
from tests.support.in_memory import UNIT_SETTINGS

OWNERS = {"bot-a": "account-a", "bot-b": "account-b"}
SOURCE = IngestSource(source_id="s1", kind="crawl", location="https://help.test/docs/")


def progressed(bot_id: str = "bot-a", done: int = 3, **fields: Any) -> IngestJobProgressed:
    return IngestJobProgressed(
        job_id=f"job-of-{bot_id}", bot_id=bot_id, source=SOURCE, done=done, total=5, **fields
    )


class Owners:
    """The bots collection, counting the queries the cache lets through."""

    def __init__(self) -> None:
        self.queries: list[str] = []

    async def __call__(self, bot_id: str) -> str | None:
        self.queries.append(bot_id)
        return OWNERS.get(bot_id)


class Channels:
    """LivePublisher's Redis, recording what goes to which account's channel."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.published: list[tuple[str, dict[str, Any]]] = []

    async def publish(self, channel: str, body: str) -> None:
        if self.fail:
            raise ConnectionError("redis is down")
        self.published.append((channel, json.loads(body)))


def publisher(channels: Channels) -> LivePublisher:
    return LivePublisher(cast(Redis, channels), "t:")


async def test_an_event_goes_to_its_bots_account_and_the_owner_is_asked_once() -> None:
    owners, channels = Owners(), Channels()
    bots = BotAccounts(owners)
    for done in (1, 2):
        assert await forward(progressed(done=done), bots, publisher(channels))
    assert owners.queries == ["bot-a"]
    assert [channel for channel, _ in channels.published] == [
        redis_keys.inbox_live("t:", "account-a")
    ] * 2
    item = channels.published[-1][1]
    assert (item["kind"], item["bot_id"], item["account_id"]) == ("ingest", "bot-a", "account-a")
    assert item["event"]["type"] == "ingest_job_progressed" and item["event"]["done"] == 2


async def test_an_unknown_bot_is_asked_again_only_after_a_while() -> None:
    now = [0.0]
    owners, channels = Owners(), Channels()
    bots = BotAccounts(owners, miss_seconds=30, clock=lambda: now[0])
    assert not await forward(progressed("bot-gone"), bots, publisher(channels))
    assert not await forward(progressed("bot-gone"), bots, publisher(channels))
    now[0] = 31
    assert not await forward(progressed("bot-gone"), bots, publisher(channels))
    assert owners.queries == ["bot-gone", "bot-gone"] and channels.published == []


async def test_the_owner_cache_is_bounded() -> None:
    owners = Owners()
    bots = BotAccounts(owners, max_entries=1)
    for bot_id in ("bot-a", "bot-b", "bot-a"):
        await bots.account_of(bot_id)
    assert owners.queries == ["bot-a", "bot-b", "bot-a"]


async def test_an_old_event_is_history_not_progress() -> None:
    owners, channels = Owners(), Channels()
    later = datetime.now(UTC) + MAX_EVENT_AGE + timedelta(seconds=1)
    assert not await forward(progressed(), BotAccounts(owners), publisher(channels), now=later)
    assert channels.published == [] and owners.queries == []


async def test_the_subscriber_forwards_and_a_failed_publish_is_not_acknowledged() -> None:
    channels = Channels()
    settings = InboxSettings(**UNIT_SETTINGS)
    topics = topics_for(settings)
    adapters = InboxAdapters(
        threads=cast(ThreadStore, None),  # ingest events never touch threads
        live=publisher(channels),
        bots=BotAccounts(Owners()),
    )
    broker = build_event_broker(settings, lambda: adapters)
    finished = IngestJobFinished(job_id="j", bot_id="bot-b", source=SOURCE, state="succeeded")
    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(encode_event(finished), topic=topics.ingest_events)
        await test_broker.publish(b'{"type": "ingest_job_paused"}', topic=topics.ingest_events)
        assert [(c, item["event"]["state"]) for c, item in channels.published] == [
            (redis_keys.inbox_live("t:", "account-b"), "succeeded")
        ]
        channels.fail = True
        with pytest.raises(ConnectionError):  # NACK_ON_ERROR: the record is read again
            await test_broker.publish(encode_event(progressed()), topic=topics.ingest_events)


async def test_listeners_take_only_the_kinds_they_asked_for() -> None:
    staff = Listener(asyncio.Queue(), THREAD_KINDS)
    page = Listener(asyncio.Queue(), frozenset({"ingest"}))
    ingest = IngestJobChangedItem(account_id="account-a", bot_id="bot-a", event={})
    typing = VisitorTypingItem(account_id="account-a", thread_id="t1", typing=True)
    channel = redis_keys.inbox_live("t:", "account-a")
    for listener in (staff, page):
        for item in (ingest, typing):
            listener.notices.put_nowait((channel, item.model_dump_json()))
        listener.notices.put_nowait((channel, "not json"))  # logged, skipped
        listener.notices.put_nowait((channel, '{"kind": "change"}'))  # incomplete: skipped too
        listener.notices.put_nowait((RESYNC_CHANNEL, RESYNC_CHANNEL))
    assert [(await staff.next()).kind for _ in range(2)] == ["typing", "resync"]
    assert [(await page.next()).kind for _ in range(2)] == ["ingest", "resync"]


async def test_a_bots_job_stream_carries_its_jobs_only() -> None:
    hub = LiveHub(cast(Redis, None), "t:")  # routing only: no subscription is started
    stream = BotJobStream(hub, heartbeat_seconds=60)

    async def connected() -> bool:
        return False

    frames: AsyncIterator[str] = stream.run("account-a", "bot-a", connected)
    other_account: AsyncIterator[str] = stream.run("account-b", "bot-b", connected)
    assert await anext(frames) == "retry: 1000\n\n" and "event: hello" in await anext(frames)
    await anext(other_account)
    await anext(other_account)

    def route(account_id: str, bot_id: str, done: int) -> None:
        event = json.loads(progressed(bot_id, done).model_dump_json())
        item = {"kind": "ingest", "account_id": account_id, "bot_id": bot_id, "event": event}
        hub.notices._dispatch(hub.channel(account_id), json.dumps(item))

    route("account-a", "bot-other", 1)  # another bot of the same account
    route("account-a", "bot-a", 3)
    frame = await anext(frames)
    assert frame.startswith("event: job\n"), frame
    assert json.loads(frame.split("data: ", 1)[1])["done"] == 3
    assert "id:" not in frame  # no cursor: the page reads the job record after hello
    hub.notices._broadcast(RESYNC_CHANNEL)
    assert (await anext(frames)).startswith("event: resync")
    # The other account's stream heard nothing before the resync.
    assert (await anext(other_account)).startswith("event: resync")
