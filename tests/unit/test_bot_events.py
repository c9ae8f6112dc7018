"""Bot change events: the codec round trip and its tolerance, the Kafka key and topic, the
cache they evict (a change drops an entry before its TTL, a read racing the change is not
kept), and the subscription that hands them to the caches, in memory."""

import asyncio
import json
from typing import Any

import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker

from baton_events import Topics
from baton_events.bots import BotChanged, bot_changed
from baton_events.codec import UnsupportedEventError, decode_bot_event, encode_event, event_key
from baton_runtime.bot_cache import BotCache
from baton_runtime.bot_changes import BotChangeFeed
from baton_runtime.kafka import publish_event


def changed(revision: int = 3, **overrides: Any) -> BotChanged:
    values: dict[str, Any] = {
        "bot_id": "bot-1",
        "account_id": "acct-1",
        "bot_key": "orbit-demo",
        "change": "updated",
        "revision": revision,
        "fields": ("greeting", "allowed_origins"),
    }
    return bot_changed(**{**values, **overrides})


def test_a_bot_change_round_trips() -> None:
    for event in (changed(), changed(change="created", revision=1, fields=())):
        assert decode_bot_event(encode_event(event)) == event
    assert changed().fields == ("allowed_origins", "greeting")  # names only, sorted


def test_records_are_keyed_by_bot_on_their_own_topic() -> None:
    assert event_key(changed()) == b"bot-1"
    topics = Topics(prefix="t1.")
    assert topics.bot_events == "t1.bots.events"
    assert topics.bot_events in topics.all()  # so ensure_topics creates it


def test_the_same_write_is_the_same_event() -> None:
    assert changed().event_id == changed().event_id
    assert changed(revision=4).event_id != changed().event_id


def test_unknown_types_are_skipped_and_newer_minor_fields_dropped() -> None:
    body = json.loads(encode_event(changed()))
    assert decode_bot_event({**body, "type": "bot_renamed"}) is None
    newer = decode_bot_event({**body, "version": "1.3", "changed_by": "staff-1"})
    assert newer is not None and (newer.version, newer.revision) == ("1.3", 3)
    with pytest.raises(UnsupportedEventError):
        decode_bot_event({**body, "version": "2.0"})
    with pytest.raises(UnsupportedEventError):
        decode_bot_event({**body, "change": "renamed"})


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Loader:
    """Stands in for the `bots` collection: counts reads and returns its current value."""

    def __init__(self, value: str) -> None:
        self.value, self.reads = value, 0

    async def __call__(self) -> str:
        self.reads += 1
        return self.value


async def test_a_change_drops_the_entry_before_its_ttl() -> None:
    clock, load = Clock(), Loader("old")
    cache: BotCache[str, str] = BotCache(3600, clock=clock)
    assert await cache.get("bot-1", load) == "old"
    load.value = "new"
    clock.now = 100
    assert await cache.get("bot-1", load) == "old"  # served from the cache
    cache.drop("bot-1")
    assert await cache.get("bot-1", load) == "new"
    assert load.reads == 2


async def test_the_ttl_is_the_safety_net_for_a_missed_change() -> None:
    clock, load = Clock(), Loader("old")
    cache: BotCache[str, str] = BotCache(60, clock=clock)
    await cache.get("bot-1", load)
    load.value, clock.now = "new", 60
    assert await cache.get("bot-1", load) == "new"


async def test_a_read_racing_a_change_is_not_kept() -> None:
    """The read began before the write the event announces: it may hold the old document."""
    cache: BotCache[str, str] = BotCache(3600)
    reading, release = asyncio.Event(), asyncio.Event()

    async def slow_old_read() -> str:
        reading.set()
        await release.wait()
        return "old"

    pending = asyncio.create_task(cache.get("bot-1", slow_old_read))
    await reading.wait()
    cache.drop("bot-1")  # the change arrives while the read is in flight
    release.set()
    assert await pending == "old"
    assert await cache.get("bot-1", Loader("new")) == "new"


async def test_the_cache_stays_bounded() -> None:
    cache: BotCache[str, str | None] = BotCache(3600, max_entries=3)

    async def unknown() -> None:
        return None

    for n in range(10):
        await cache.get(f"nope-{n}", unknown)
    assert len(cache) == 3


class Forgetful:
    def __init__(self) -> None:
        self.forgotten: list[BotChanged] = []
        self.cleared = 0

    def forget(self, change: BotChanged) -> None:
        self.forgotten.append(change)

    def forget_all(self) -> None:
        self.cleared += 1


async def test_a_published_change_reaches_every_cache() -> None:
    broker, topics, event = KafkaBroker(), Topics(prefix="unit."), changed()
    gateway_bots, other_cache = Forgetful(), Forgetful()
    feed = BotChangeFeed(broker, topics, "gateway", [gateway_bots, other_cache])
    async with TestKafkaBroker(broker):
        await feed.follow()  # once positioned, whatever was cached before is dropped
        assert gateway_bots.cleared == other_cache.cleared == 1
        await publish_event(broker, topics.bot_events, event)
    assert gateway_bots.forgotten == other_cache.forgotten == [event]


def test_an_unreadable_change_is_logged_not_raised() -> None:
    cache = Forgetful()
    feed = BotChangeFeed(KafkaBroker(), Topics(), "agent", [cache])
    feed.apply(b"not json at all")
    feed.apply(json.dumps({"type": "bot_changed", "version": "9.0"}))
    feed.apply(json.dumps({"type": "something_else"}))
    assert cache.forgotten == []
    feed.apply(encode_event(changed()))
    assert [c.bot_id for c in cache.forgotten] == ["bot-1"]
