"""The Redis contract (baton_contracts): every key and channel under the deployment prefix, no
two families able to collide, each pattern subscription hearing exactly its channels, and the
channel payloads read back as they were written (a foreign payload is dropped, not raised)."""

import inspect
from collections.abc import Callable
from fnmatch import fnmatchcase

import pytest

from baton_contracts import redis_keys
from baton_contracts.live_signals import (
    MAX_NAME_CHARS,
    IngestJobChangedItem,
    PresenceChangedItem,
    StaffPresenceEntry,
    StaffTypingSignal,
    ThreadChangedItem,
    ThreadStateChanged,
    VisitorTypingItem,
    parse_inbox_live_item,
    parse_thread_live_signal,
)
from baton_contracts.mode_copy import HotMode, ModeVerdict

PREFIX = "t1:"
BUILDERS: list[Callable[..., str]] = [
    builder
    for name, builder in inspect.getmembers(redis_keys, inspect.isfunction)
    if not name.endswith("_pattern")
]


def built(builder: Callable[..., str], *ids: str) -> str:
    arity = len(inspect.signature(builder).parameters) - 1
    return builder(PREFIX, *(ids or ("id",) * arity)[:arity])


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda b: b.__name__)
def test_every_name_starts_with_the_prefix_and_holds_its_ids(builder: Callable[..., str]) -> None:
    name = built(builder, "a1", "b2", "c3")
    assert name.startswith(PREFIX)
    arity = len(inspect.signature(builder).parameters) - 1
    assert name.endswith(":" + ":".join(("a1", "b2", "c3")[:arity]))
    assert builder.__doc__, f"{builder.__name__} must say who writes and reads it"


def test_no_two_families_share_a_name() -> None:
    names = [built(builder) for builder in BUILDERS]
    assert len(set(names)) == len(names)


def test_each_pattern_hears_its_channels_and_nothing_else() -> None:
    patterns: dict[str, set[Callable[..., str]]] = {
        redis_keys.mode_at_message_signal_pattern(PREFIX): {redis_keys.mode_at_message_signal},
        redis_keys.inbox_live_pattern(PREFIX): {redis_keys.inbox_live},
        redis_keys.gateway_thread_channels_pattern(PREFIX): {
            redis_keys.thread_live,
            redis_keys.thread_visible,
        },
    }
    for pattern, heard in patterns.items():
        for builder in BUILDERS:
            assert fnmatchcase(built(builder), pattern) == (builder in heard), (pattern, builder)
        # Another deployment's channels stay out.
        assert not any(fnmatchcase(builder("t2:", "id"), pattern) for builder in heard)


def test_thread_live_signals_round_trip_and_a_foreign_payload_is_dropped() -> None:
    typing = StaffTypingSignal(name="Alex" * 40, typing=True)
    assert len(typing.name) == MAX_NAME_CHARS
    assert parse_thread_live_signal(typing.model_dump_json()) == typing
    assert parse_thread_live_signal(ThreadStateChanged().model_dump_json()) == ThreadStateChanged()
    for foreign in ("not json", "{}", '{"type": "typing", "author": "visitor", "typing": true}'):
        assert parse_thread_live_signal(foreign) is None


def test_inbox_live_items_round_trip_by_kind() -> None:
    person = StaffPresenceEntry(staff_id="s1", name="Sam", state="typing", expires_ms=5)
    items = [
        ThreadChangedItem(
            account_id="a", thread_id="t", partition=2, position=7, thread={"id": "t"}
        ),
        PresenceChangedItem(account_id="a", thread_id="t", people=[person]),
        IngestJobChangedItem(account_id="a", bot_id="b", event={"type": "ingest_job_started"}),
        VisitorTypingItem(account_id="a", thread_id="t", typing=False),
    ]
    for item in items:
        assert parse_inbox_live_item(item.model_dump_json()) == item
    assert parse_inbox_live_item('{"kind": "change", "thread_id": "t"}') is None


def test_the_hot_mode_copy_reads_back_from_redis_text() -> None:
    hot = HotMode(mode="human", version=4, deadline="2026-01-01T00:00:00+00:00", position=9)
    as_redis_returns = {field: str(value) for field, value in hot.as_hash().items()}
    assert HotMode.model_validate(as_redis_returns) == hot
    verdict = ModeVerdict(mode="ai", version=3)
    assert verdict.encode() == "ai:3" and ModeVerdict.decode(verdict.encode()) == verdict
