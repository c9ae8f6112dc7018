"""The widget's live extras over the real stack: `event: state` (mode, escalation, the e-mail
prompt) and `event: typing`, both opt-in on the SSE stream, plus visitor typing and the e-mail
left for follow-up."""

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import redis

from baton_contracts import redis_keys
from baton_contracts.account_hours import ACCOUNT_SETTINGS_COLLECTION
from baton_contracts.business_hours import WEEKDAYS
from baton_contracts.live_signals import StaffTypingSignal, VisitorTypingItem
from tests.integration.conftest import DEMO_ORIGIN, Seeded
from tests.integration.test_widget_settings import new_bot
from tests.support.http import TypedStream
from tests.support.infra import infra
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration
EXTRAS = "?include=state,typing"
OPEN = {"team_open": True, "team_back_at": None}  # an account that set no business hours


def stream_of(visitor: Visitor, query: str = EXTRAS) -> TypedStream:
    url = f"{visitor.gateway}/v1/widget/threads/{visitor.thread_id}/stream{query}"
    return TypedStream(url, visitor.headers)


@pytest.fixture
def silent_bot(seeded: Seeded, mongo: Any) -> str:
    """A bot with no help docs: every question is out of its docs, so the agent escalates."""
    return new_bot(mongo, seeded)


@pytest.fixture
def unstaffed_bot(seeded: Seeded, mongo: Any) -> tuple[str, str]:
    """A docless bot of an account of its own, whose team nobody else's test can bring online."""
    account_id = str(uuid.uuid4())
    return new_bot(mongo, seeded, account_id=account_id), account_id


def set_online(seeded: Seeded, account_id: str, online: bool) -> None:
    """What the inbox does while a teammate has it open."""
    key = redis_keys.staff_online(seeded.system.env["BATON_REDIS_PREFIX"], account_id)
    with redis.Redis.from_url(infra().redis_url) as client:
        if online:
            client.zadd(key, {"teammate": int(time.time() * 1000) + 60_000})
        else:
            client.delete(key)


@pytest.fixture
def streams() -> Iterator[list[TypedStream]]:
    opened: list[TypedStream] = []
    yield opened
    for stream in opened:
        stream.close()


def contact(visitor: Visitor, email: str) -> httpx.Response:
    url = f"{visitor.gateway}/v1/widget/threads/{visitor.thread_id}/contact"
    return httpx.post(url, json={"email": email}, headers=visitor.headers)


def test_escalation_asks_for_an_email_until_one_is_left(
    seeded: Seeded, unstaffed_bot: tuple[str, str], streams: list[TypedStream]
) -> None:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, unstaffed_bot[0], name="Ada")
    stream = stream_of(visitor)
    streams.append(stream)
    first = stream.wait_for("state", lambda s: True)
    assert first == {**OPEN, "mode": "ai", "escalated": False, "ask_email": False}

    assert visitor.send("Can I pay my invoice with seashells?").status_code == 202
    stream.wait_for("message", lambda m: m["author"] == "ai")
    stream.wait_for("state", lambda s: s["ask_email"])

    bad = contact(visitor, "not an address")
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "email"
    assert contact(visitor, " ada@example.test ").status_code == 204
    stream.wait_for("state", lambda s: s["escalated"] and not s["ask_email"])

    # A reconnecting widget gets the current state first, and no stale prompt.
    again = stream_of(visitor)
    streams.append(again)
    assert again.wait_for("state", lambda s: True) == {
        **OPEN,
        "mode": "ai",
        "escalated": True,
        "ask_email": False,
    }


def test_an_email_left_reaches_the_inbox_thread_live(
    seeded: Seeded, silent_bot: str, streams: list[TypedStream]
) -> None:
    """widget -> gateway -> Kafka (VisitorContactLeft) -> inbox: the thread, the list and the
    staff's live stream show the address where a pre-chat e-mail would be."""
    staff_headers = {"Authorization": f"Bearer {seeded.staff_token}"}
    staff = TypedStream(f"{seeded.inbox}/v1/stream", staff_headers)
    streams.append(staff)
    staff.wait_for("hello", lambda _: True)
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, silent_bot, name="Lin")
    visitor.send("Can I pay my invoice with seashells?")

    def of_thread(change: dict[str, Any]) -> dict[str, Any]:
        thread: dict[str, Any] = change["thread"] or {}
        return thread if change["thread_id"] == visitor.thread_id else {}

    staff.wait_for("change", lambda c: bool(of_thread(c).get("needs_human")))

    bad = contact(visitor, "lin@localhost")
    assert bad.status_code == 422
    assert bad.json()["error"] == {
        "code": "invalid_request",
        "message": "Value error, not an e-mail address",
        "field": "email",
    }
    assert contact(visitor, " lin@example.test ").status_code == 204
    live = staff.wait_for(
        "change", lambda c: of_thread(c).get("visitor", {}).get("email") == "lin@example.test"
    )
    assert live["message"] is None  # a fact about the visitor, not a chat message
    assert live["thread"]["visitor"]["name"] == "Lin" and live["thread"]["mode"] == "ai"
    url = f"{seeded.inbox}/v1/threads"
    detail = httpx.get(f"{url}/{visitor.thread_id}", headers=staff_headers).json()
    assert detail["visitor"]["email"] == "lin@example.test"
    listed = httpx.get(url, headers=staff_headers).json()["threads"]
    assert [t["visitor"]["email"] for t in listed if t["id"] == visitor.thread_id] == [
        "lin@example.test"
    ]


def test_known_email_is_never_asked_and_a_teammate_clears_the_escalation(
    seeded: Seeded, silent_bot: str, streams: list[TypedStream]
) -> None:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, silent_bot, email="known@example.test")
    stream = stream_of(visitor)
    streams.append(stream)
    visitor.send("Can I talk to a person about my contract?")
    stream.wait_for("state", lambda s: s["escalated"])
    assert not any(s["ask_email"] for s in stream.of("state"))

    staff = {"Authorization": f"Bearer {seeded.staff_token}"}
    deadline = time.monotonic() + 10
    url = f"{seeded.inbox}/v1/threads/{visitor.thread_id}"
    while httpx.get(url, headers=staff).status_code != 200:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert httpx.post(f"{url}/messages", json={"text": "Hi!"}, headers=staff).status_code == 202
    stream.wait_for("message", lambda m: m["author"] == "staff")
    stream.wait_for(
        "state",
        lambda s: s == {**OPEN, "mode": "human", "escalated": False, "ask_email": False},
    )
    # state and typing carry no id: they never move the visitor's resume position
    assert all(event_id is None for kind, event_id, _ in stream.frames if kind != "message")
    assert all(event_id for kind, event_id, _ in stream.frames if kind == "message")


def test_teammate_typing_reaches_the_stream_and_visitor_typing_the_inbox_channel(
    seeded: Seeded, streams: list[TypedStream]
) -> None:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
    stream = stream_of(visitor)
    plain = stream_of(visitor, query="")
    streams.extend([stream, plain])
    stream.wait_for("state", lambda s: True)
    prefix = seeded.system.env["BATON_REDIS_PREFIX"]
    channel = redis_keys.thread_live(prefix, visitor.thread_id)
    inbox_channel = redis_keys.inbox_live(prefix, seeded.account_id)
    with redis.Redis.from_url(infra().redis_url, decode_responses=True) as client:
        pubsub = client.pubsub()
        pubsub.subscribe(inbox_channel)
        assert pubsub.get_message(timeout=5)["type"] == "subscribe"
        typing_url = f"{visitor.gateway}/v1/widget/threads/{visitor.thread_id}/typing"
        response = httpx.post(typing_url, json={"typing": True}, headers=visitor.headers)
        assert response.status_code == 204
        published = pubsub.get_message(timeout=5)
        assert published is not None
        assert VisitorTypingItem.model_validate_json(published["data"]) == VisitorTypingItem(
            account_id=seeded.account_id, thread_id=visitor.thread_id, typing=True
        )
        client.publish(channel, "not json")  # someone else's bug must not break the stream
        client.publish(
            channel,
            StaffTypingSignal(name="Alex", typing=True).model_dump_json(),
        )
        pubsub.close()
    typing = stream.wait_for("typing", lambda t: True)
    assert typing == {"author": "staff", "name": "Alex", "typing": True}
    assert len(stream.of("typing")) == 1  # the visitor's own typing is not echoed back
    # A client that did not ask for the extras gets message events only (the v1 contract).
    visitor.send("How do I export my deals?")
    plain.wait_for("message", lambda m: m["author"] == "ai")
    assert {kind for kind, _, _ in plain.frames} == {"message"}


def test_stream_refuses_unknown_extras(seeded: Seeded) -> None:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
    url = f"{seeded.gateway}/v1/widget/threads/{visitor.thread_id}/stream?include=state,gossip"
    response = httpx.get(url, headers=visitor.headers)
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "bad_include",
        "message": "unknown event types: gossip",
        "field": "include",
    }


def test_no_email_is_asked_while_a_teammate_is_online(
    seeded: Seeded, unstaffed_bot: tuple[str, str], streams: list[TypedStream]
) -> None:
    bot_key, account_id = unstaffed_bot
    set_online(seeded, account_id, True)
    try:
        visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, bot_key)
        stream = stream_of(visitor)
        streams.append(stream)
        visitor.send("Can I pay my invoice with seashells?")
        stream.wait_for("state", lambda s: s["escalated"])
        assert not any(s["ask_email"] for s in stream.of("state"))
        # Everyone leaves: a reconnecting widget now asks.
        set_online(seeded, account_id, False)
        again = stream_of(visitor)
        streams.append(again)
        assert again.wait_for("state", lambda s: True)["ask_email"]
    finally:
        set_online(seeded, account_id, False)


def test_outside_business_hours_the_widget_knows_when_the_team_is_back(
    seeded: Seeded, mongo: Any, unstaffed_bot: tuple[str, str], streams: list[TypedStream]
) -> None:
    """Today is a holiday for the account: closed, even with a teammate online; the state
    says when the team is back, the e-mail is asked for, and the AI says the team is away."""
    bot_key, account_id = unstaffed_bot
    today = datetime.now(UTC).date()
    every_day = {day: [{"start": "00:00", "end": "24:00"}] for day in WEEKDAYS}
    mongo[ACCOUNT_SETTINGS_COLLECTION].insert_one(
        {
            "_id": account_id,
            "settings": {
                "time_zone": "UTC",
                "business_hours": every_day,
                "holidays": [today.isoformat()],
            },
        }
    )
    set_online(seeded, account_id, True)
    try:
        visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, bot_key)
        stream = stream_of(visitor)
        streams.append(stream)
        first = stream.wait_for("state", lambda s: True)
        tomorrow = datetime.combine(today + timedelta(days=1), datetime.min.time(), UTC)
        assert first["team_open"] is False
        assert datetime.fromisoformat(first["team_back_at"]) == tomorrow
        assert visitor.send("Can I talk to a person about my contract?").status_code == 202
        answer = stream.wait_for("message", lambda m: m["author"] == "ai")
        assert "Our team is away right now and back" in answer["text"]
        stream.wait_for("state", lambda s: s["escalated"] and s["ask_email"])
    finally:
        set_online(seeded, account_id, False)
