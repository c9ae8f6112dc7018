"""Staff of one account get 404 on every thread, message, note and stream of another, and
their own stream never carries another account's changes."""

from typing import Any

import httpx
import pytest

from tests.integration.conftest import DEMO_ORIGIN, Seeded
from tests.integration.test_inbox_live import open_stream, snapshot, wait_detail
from tests.support.inbox_harness import Replica, bearer, replica
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration
__all__ = ["replica"]

READS = ("", "/messages", "/notes", "/stream")
WRITES: tuple[tuple[str, dict[str, Any] | None], ...] = (
    ("/messages", {"text": "hijack", "force": True}),
    ("/notes", {"text": "secret"}),
    ("/claim", None),
    ("/assignee", {"staff_id": None}),
    ("/presence", {"state": "typing"}),
    ("/standby", None),
    ("/handback", None),
    ("/close", None),
)


def test_another_accounts_thread_is_404_everywhere(
    seeded: Seeded, other_account: Seeded, replica: Replica
) -> None:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key, name="Private")
    visitor.send("hello there")
    wait_detail(seeded.inbox, seeded.staff_token, visitor.thread_id, lambda t: t["messages"])
    httpx.post(
        f"{seeded.inbox}/v1/threads/{visitor.thread_id}/notes",
        json={"text": "internal only"},
        headers=bearer(seeded.staff_token),
    ).raise_for_status()

    intruder = bearer(other_account.staff_token)
    for inbox in (seeded.inbox, replica.url):
        base = f"{inbox}/v1/threads/{visitor.thread_id}"
        for path in READS:
            response = httpx.get(base + path, headers=intruder)
            assert response.status_code == 404, (path, response.text)
            assert response.json()["error"]["code"] == "thread_not_found"
        for path, body in WRITES:
            response = httpx.post(base + path, json=body, headers=intruder)
            assert response.status_code == 404, (path, response.text)
        listed = httpx.get(f"{inbox}/v1/threads", headers=intruder).json()["threads"]
        assert visitor.thread_id not in {t["id"] for t in listed}

    # nothing the intruder tried reached the thread
    own = wait_detail(seeded.inbox, seeded.staff_token, visitor.thread_id, lambda t: True)
    assert [n["text"] for n in own["notes"]] == ["internal only"]
    assert own["assignee_id"] is None and own["mode"] == "ai"
    assert all(m["author"] != "staff" for m in own["messages"])


def test_an_account_stream_carries_only_its_own_threads(
    seeded: Seeded, other_account: Seeded, replica: Replica
) -> None:
    token = other_account.staff_token
    theirs = open_stream(replica.url, token, snapshot(replica.url, token)["cursor"])
    ours = open_stream(
        replica.url, seeded.staff_token, snapshot(replica.url, seeded.staff_token)["cursor"]
    )
    try:
        mine = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key, name="Mine")
        mine.send("How do I import my contacts?")
        # a note on a thread the inbox has not projected yet is a 404: wait for it first (a
        # replica joining the consumer group can hold the partition for seconds under load)
        wait_detail(seeded.inbox, seeded.staff_token, mine.thread_id, lambda t: True)
        httpx.post(
            f"{seeded.inbox}/v1/threads/{mine.thread_id}/notes",
            json={"text": "note for us"},
            headers=bearer(seeded.staff_token),
        ).raise_for_status()
        httpx.post(
            f"{seeded.inbox}/v1/threads/{mine.thread_id}/presence",
            json={"state": "viewing"},
            headers=bearer(seeded.staff_token),
        ).raise_for_status()
        # the positive control: the other account's own thread, sent after ours
        control = Visitor.open(
            other_account.gateway, "http://other.test", other_account.bot_key, name="Theirs"
        )
        control.send("hi")
        ours.wait_for("note", lambda f: f["thread_id"] == mine.thread_id, timeout=30)
        ours.wait_for("presence", lambda f: f["thread_id"] == mine.thread_id, timeout=30)
        theirs.wait_for(
            "change",
            lambda f: f["thread_id"] == control.thread_id and bool(f["message"]),
            timeout=30,
        )
        leaked = [data for _, _, data in theirs.frames if data.get("thread_id") == mine.thread_id]
        assert leaked == []
    finally:
        theirs.close()
        ours.close()


def test_stream_without_a_session_is_refused(seeded: Seeded) -> None:
    response = httpx.get(f"{seeded.inbox}/v1/stream")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_required"
