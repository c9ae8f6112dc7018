"""The staff live stream: live changes on every replica, resume after a drop without a miss,
an explicit gap when it cannot resume, heartbeats."""

import time
from functools import partial
from typing import Any

import httpx
import pytest

from tests.integration.conftest import DEMO_ORIGIN, Seeded
from tests.support.inbox_harness import Replica, StaffEvents, bearer, replica
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration
__all__ = ["replica"]

QUESTION = "How do I import my contacts?"


def open_stream(
    inbox: str, token: str, cursor: str | None = None, last_event_id: str | None = None
) -> StaffEvents:
    headers = bearer(token)
    if last_event_id:
        headers["Last-Event-ID"] = last_event_id
    url = f"{inbox}/v1/stream" + (f"?cursor={cursor}" if cursor else "")
    events = StaffEvents(url, headers)
    events.wait_for("hello", lambda _: True)
    return events


def snapshot(inbox: str, token: str) -> dict[str, Any]:
    response = httpx.get(f"{inbox}/v1/threads?limit=500", headers=bearer(token))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def thread_detail(inbox: str, token: str, thread_id: str) -> dict[str, Any]:
    response = httpx.get(f"{inbox}/v1/threads/{thread_id}", headers=bearer(token))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def wait_detail(
    inbox: str, token: str, thread_id: str, predicate: Any, timeout: float = 30.0
) -> dict[str, Any]:
    """Generous: when a replica joins or leaves the inbox's consumer group, the rebalance can
    hold the thread's partition for several seconds on a loaded machine."""
    deadline = time.monotonic() + timeout
    while True:
        response = httpx.get(f"{inbox}/v1/threads/{thread_id}", headers=bearer(token))
        if response.status_code == 200 and predicate(response.json()):
            body: dict[str, Any] = response.json()
            return body
        assert time.monotonic() < deadline, f"thread never matched: {response.text}"
        time.sleep(0.1)


def messages_of(events: StaffEvents, thread_id: str) -> list[dict[str, Any]]:
    return [
        frame["message"]
        for frame in events.of("change")
        if frame["thread_id"] == thread_id and frame["message"]
    ]


def is_ai_message_in(thread_id: str, frame: dict[str, Any]) -> bool:
    return bool(
        frame["thread_id"] == thread_id
        and bool(frame["message"])
        and frame["message"]["author"] == "ai"
    )


def test_every_replica_streams_new_threads_and_messages(seeded: Seeded, replica: Replica) -> None:
    token = seeded.staff_token
    streams = [
        open_stream(inbox, token, snapshot(inbox, token)["cursor"])
        for inbox in (seeded.inbox, replica.url)
    ]
    try:
        # Several threads, so that both replicas (each consuming some partitions) handle some.
        visitors = [
            Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key, name=f"Live {n}")
            for n in range(4)
        ]
        for visitor in visitors:
            assert visitor.send(QUESTION).status_code == 202
        for events in streams:
            for visitor in visitors:
                events.wait_for("change", partial(is_ai_message_in, visitor.thread_id))
                frames = [f for f in events.of("change") if f["thread_id"] == visitor.thread_id]
                seqs = [f["seq"] for f in frames]
                assert seqs == sorted(seqs), "a thread's changes arrive in sequence"
                assert any(f["thread"] and f["thread"]["visitor"]["name"] for f in frames)
                ai = next(m for m in messages_of(events, visitor.thread_id) if m["author"] == "ai")
                assert ai["sources"] and ai["sources"][0]["url"].startswith(
                    "https://help.orbit.test"
                )
    finally:
        for events in streams:
            events.close()


def test_dropped_stream_resumes_without_missing_a_message(seeded: Seeded, replica: Replica) -> None:
    token = seeded.staff_token
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key, name="Resume")
    first = open_stream(replica.url, token, snapshot(replica.url, token)["cursor"])
    try:
        visitor.send(QUESTION)
        first.wait_for(
            "change",
            lambda f: (
                bool(f["message"])
                and f["message"]["author"] == "ai"
                and f["thread_id"] == visitor.thread_id
            ),
        )
        seen = {m["id"] for m in messages_of(first, visitor.thread_id)}
        resume_from = first.last_id
    finally:
        first.close()  # the network drops
    assert resume_from

    # While this teammate is away, a colleague replies and the visitor writes twice.
    reply = httpx.post(
        f"{seeded.inbox}/v1/threads/{visitor.thread_id}/messages",
        json={"text": "Hi, a colleague here."},
        headers=bearer(token),
    )
    assert reply.status_code == 202
    visitor.send("Thanks! And Gmail?")
    visitor.send("Hello?")
    everything = wait_detail(
        seeded.inbox,
        token,
        visitor.thread_id,
        lambda t: (
            sum(m["author"] == "visitor" for m in t["messages"]) == 3
            and any(m["author"] == "staff" for m in t["messages"])
        ),
    )
    missed = {m["id"] for m in everything["messages"]} - seen
    assert len(missed) == 3

    second = open_stream(replica.url, token, last_event_id=resume_from)
    try:
        assert second.of("hello")[0]["resumed"] is True
        deadline = time.monotonic() + 10
        while {m["id"] for m in messages_of(second, visitor.thread_id)} != missed:
            assert time.monotonic() < deadline, messages_of(second, visitor.thread_id)
            time.sleep(0.05)
        second.wait_for(
            "change",
            lambda f: (
                f["thread_id"] == visitor.thread_id
                and bool(f["thread"])
                and f["thread"]["mode"] == "human"
            ),
        )
    finally:
        second.close()


def merge(threads: dict[str, dict[str, Any]], frame: dict[str, Any]) -> None:
    """How a client folds a `change` frame into its list (the rule inbox.js follows)."""
    incoming = frame["thread"]
    if not incoming:
        return
    known = threads.get(incoming["id"])
    if known is None or incoming["seq"] >= known["seq"]:
        merged = dict(incoming)
        if known is not None and (known.get("meta_at") or "") > (incoming.get("meta_at") or ""):
            merged.update({k: known[k] for k in ("assignee_id", "assignee_name", "meta_at")})
        threads[incoming["id"]] = merged
    elif (incoming.get("meta_at") or "") >= (known.get("meta_at") or ""):
        known.update({k: incoming[k] for k in ("assignee_id", "assignee_name", "meta_at")})


def test_stale_list_plus_stream_equals_a_fresh_read(seeded: Seeded, replica: Replica) -> None:
    """verify_action: apply the stream to a stale snapshot; it must equal a fresh read."""
    token = seeded.staff_token
    stale = snapshot(replica.url, token)
    threads = {t["id"]: t for t in stale["threads"]}

    old = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key, name="Changed")
    new = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key, name="Brand new")
    old.send(QUESTION)
    new.send("How do I export my deals?")
    for visitor in (old, new):  # answered, so no AI reply can land after the reads below
        wait_detail(seeded.inbox, token, visitor.thread_id, lambda t: len(t["messages"]) == 2)
    httpx.post(f"{seeded.inbox}/v1/threads/{old.thread_id}/claim", headers=bearer(token))
    httpx.post(f"{seeded.inbox}/v1/threads/{new.thread_id}/close", headers=bearer(token))
    wait_detail(seeded.inbox, token, new.thread_id, lambda t: t["mode"] == "closed")

    events = open_stream(replica.url, token, stale["cursor"])
    try:
        events.wait_for("heartbeat", lambda _: True)  # the backlog is out
        for frame in events.of("change"):
            merge(threads, frame)
    finally:
        events.close()
    fresh = {t["id"]: t for t in snapshot(replica.url, token)["threads"]}
    for thread_id in (old.thread_id, new.thread_id):
        assert threads[thread_id] == fresh[thread_id]
    assert fresh[old.thread_id]["assignee_id"] and fresh[new.thread_id]["mode"] == "closed"
    assert {t["id"] for t in stale["threads"]} != set(fresh)


def test_a_cursor_that_cannot_resume_gets_an_explicit_gap(seeded: Seeded, replica: Replica) -> None:
    for bad in ("not-a-cursor", "1.0.0-999999999999", "9.0"):
        events = StaffEvents(
            f"{replica.url}/v1/stream", {**bearer(seeded.staff_token), "Last-Event-ID": bad}
        )
        try:
            gap = events.wait_for("gap", lambda _: True)
            assert gap["reason"]
            assert not events.of("change")
        finally:
            events.close()


def test_idle_stream_sends_heartbeats(seeded: Seeded, replica: Replica) -> None:
    events = open_stream(replica.url, seeded.staff_token)
    try:
        beat = events.wait_for("heartbeat", lambda _: True, timeout=5)
        assert "now" in beat
    finally:
        events.close()
