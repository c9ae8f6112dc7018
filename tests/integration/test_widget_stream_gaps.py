"""The widget stream's live path sends the message carried by its notice, and falls back to the
store only when a notice was lost: at once when the next notice shows a gap, or at the next
heartbeat when nothing follows. Messages are written through the gateway's own adapter, with
its pub/sub notice sent nowhere to play the lost notice."""

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from redis.asyncio import Redis

from baton_gateway.adapters.messages import VisibleMessages
from tests.integration.conftest import DEMO_ORIGIN, Seeded
from tests.support.http import TypedStream
from tests.support.infra import infra
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration
# Far past any position the real log gives this test's thread, so the projection's own
# messages (the visitor's, the AI's) never interleave with the ones written here.
BASE_POSITION = 10**12


class LostNotices(Redis):
    """Redis whose notices go to a channel no stream listens to: a notice lost on the way to
    the gateway's streams. The adapter announces in one script, whose last argument is the
    thread's channel; the newest position is still raised, as when a notice is lost."""

    async def eval(self, script: str, numkeys: int, *keys_and_args: Any) -> Any:
        *rest, _channel = keys_and_args
        return await super().eval(script, numkeys, *rest, f"lost-{uuid.uuid4()}")


def staff_message(thread_id: str, position: int, text: str) -> dict[str, Any]:
    return {
        "_id": str(uuid.uuid4()),
        "thread_id": thread_id,
        "position": position,
        "text": text,
        "created_at": datetime.now(UTC),
        "sources": [],
        "author": "staff",
        "staff_name": "Ana",
    }


async def write(seeded: Seeded, doc: dict[str, Any], *, notice_lost: bool) -> None:
    env = seeded.system.env
    redis = (LostNotices if notice_lost else Redis).from_url(infra().redis_url)
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra().mongo_url, tz_aware=True)
    try:
        messages = VisibleMessages(mongo, env["BATON_MONGO_DB"], redis, env["BATON_REDIS_PREFIX"])
        await messages.add(doc)
    finally:
        await redis.aclose()
        await mongo.close()


def texts(stream: TypedStream) -> list[str]:
    return [str(frame["text"]) for frame in stream.of("message")]


@pytest.fixture
def stream(seeded: Seeded) -> Iterator[tuple[Visitor, TypedStream]]:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
    url = f"{visitor.gateway}/v1/widget/threads/{visitor.thread_id}/stream"
    opened = TypedStream(url, visitor.headers)
    yield visitor, opened
    opened.close()


async def test_a_notice_after_a_lost_one_makes_the_stream_read_the_gap(
    seeded: Seeded, stream: tuple[Visitor, TypedStream]
) -> None:
    visitor, opened = stream
    await asyncio.sleep(0.5)
    await write(seeded, staff_message(visitor.thread_id, BASE_POSITION, "lost"), notice_lost=True)
    await asyncio.sleep(0.3)
    assert "lost" not in texts(opened)  # nothing told the stream yet
    await write(
        seeded, staff_message(visitor.thread_id, BASE_POSITION + 1, "next"), notice_lost=False
    )
    opened.wait_for("message", lambda frame: frame["text"] == "next", timeout=5)
    assert texts(opened)[-2:] == ["lost", "next"]


async def test_a_lost_notice_with_nothing_after_it_arrives_at_the_next_heartbeat(
    seeded: Seeded, stream: tuple[Visitor, TypedStream]
) -> None:
    visitor, opened = stream
    await asyncio.sleep(0.5)
    await write(seeded, staff_message(visitor.thread_id, BASE_POSITION, "quiet"), notice_lost=True)
    # The heartbeat is 15 s by default: the newest-position key shows what the notice missed.
    opened.wait_for("message", lambda frame: frame["text"] == "quiet", timeout=25)
    assert texts(opened).count("quiet") == 1


async def test_a_redelivered_message_is_neither_announced_nor_sent_twice(
    seeded: Seeded, stream: tuple[Visitor, TypedStream]
) -> None:
    visitor, opened = stream
    await asyncio.sleep(0.5)
    doc = staff_message(visitor.thread_id, BASE_POSITION, "once")
    await write(seeded, doc, notice_lost=False)
    opened.wait_for("message", lambda frame: frame["text"] == "once", timeout=5)
    await write(seeded, doc, notice_lost=False)
    await write(
        seeded, staff_message(visitor.thread_id, BASE_POSITION + 1, "then"), notice_lost=False
    )
    opened.wait_for("message", lambda frame: frame["text"] == "then", timeout=5)
    assert texts(opened).count("once") == 1


async def test_a_message_republished_at_a_later_position_is_sent_once(
    seeded: Seeded, stream: tuple[Visitor, TypedStream]
) -> None:
    """The same event can land in the log twice, at two offsets: a handoff killed between
    publishing a commit and committing its offset publishes it again; a visitor's retry after
    Redis lost the message-id mark is published again. Found by `make bench-faults`: the
    stream showed the message twice, once per position."""
    visitor, opened = stream
    await asyncio.sleep(0.5)
    doc = staff_message(visitor.thread_id, BASE_POSITION, "once")
    await write(seeded, doc, notice_lost=False)
    opened.wait_for("message", lambda frame: frame["text"] == "once", timeout=5)
    await write(seeded, {**doc, "position": BASE_POSITION + 5}, notice_lost=False)
    await write(
        seeded, staff_message(visitor.thread_id, BASE_POSITION + 6, "then"), notice_lost=False
    )
    opened.wait_for("message", lambda frame: frame["text"] == "then", timeout=5)
    assert texts(opened).count("once") == 1
