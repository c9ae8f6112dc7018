"""Teammates on one thread: private notes, claims, presence, and the collision warning."""

from collections.abc import Iterator

import httpx
import pytest

from tests.integration.conftest import DEMO_ORIGIN, Seeded
from tests.integration.test_inbox_live import open_stream, snapshot, wait_detail
from tests.support.inbox_harness import (
    Replica,
    bearer,
    invite_and_accept,
    replica,
)
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration
__all__ = ["replica"]


@pytest.fixture(scope="module")
def teammate(seeded: Seeded, replica: Replica) -> str:
    """A second teammate (agent) in the seeded account, invited by e-mail; their token."""
    _, token = invite_and_accept(replica, seeded.staff_token, "agent", "Sam Rivera")
    return token


@pytest.fixture
def visitor(seeded: Seeded) -> Iterator[Visitor]:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key, name="Collab")
    visitor.send("How do I import my contacts?")
    wait_detail(seeded.inbox, seeded.staff_token, visitor.thread_id, lambda t: t["messages"])
    yield visitor


def post(inbox: str, token: str, path: str, body: object = None) -> httpx.Response:
    return httpx.post(f"{inbox}/v1/threads/{path}", json=body, headers=bearer(token))


def test_private_notes_reach_teammates_never_the_visitor(
    seeded: Seeded, replica: Replica, teammate: str, visitor: Visitor
) -> None:
    token = seeded.staff_token
    events = open_stream(replica.url, teammate, snapshot(replica.url, teammate)["cursor"])
    try:
        added = post(seeded.inbox, token, f"{visitor.thread_id}/notes", {"text": "VIP, be nice"})
        assert added.status_code == 201, added.text
        frame = events.wait_for("note", lambda f: f["thread_id"] == visitor.thread_id)
        assert frame["note"]["text"] == "VIP, be nice" and frame["note"]["staff_name"]
    finally:
        events.close()
    listed = httpx.get(
        f"{replica.url}/v1/threads/{visitor.thread_id}/notes", headers=bearer(teammate)
    ).json()["notes"]
    assert [note["text"] for note in listed] == ["VIP, be nice"]
    assert all("VIP" not in message["text"] for message in visitor.history())


def test_claim_assign_and_reply_show_who_owns_a_thread(
    seeded: Seeded, replica: Replica, teammate: str, visitor: Visitor
) -> None:
    thread = visitor.thread_id
    events = open_stream(replica.url, seeded.staff_token)
    try:
        claimed = post(replica.url, teammate, f"{thread}/claim")
        assert claimed.status_code == 200 and claimed.json()["assignee_name"] == "Sam Rivera"
        events.wait_for(
            "change",
            lambda f: f["thread_id"] == thread and f["thread"]["assignee_name"] == "Sam Rivera",
        )
    finally:
        events.close()
    mine = httpx.get(f"{seeded.inbox}/v1/threads?assignee=me", headers=bearer(teammate))
    assert thread in {t["id"] for t in mine.json()["threads"]}
    unknown = post(seeded.inbox, seeded.staff_token, f"{thread}/assignee", {"staff_id": "nobody"})
    assert unknown.status_code == 422
    assert (
        post(seeded.inbox, seeded.staff_token, f"{thread}/assignee", {"staff_id": None}).json()[
            "assignee_id"
        ]
        is None
    )
    unassigned = httpx.get(
        f"{seeded.inbox}/v1/threads?assignee=none", headers=bearer(seeded.staff_token)
    )
    assert thread in {t["id"] for t in unassigned.json()["threads"]}

    # replying to an unassigned thread claims it for the sender
    assert post(seeded.inbox, teammate, f"{thread}/messages", {"text": "On it."}).status_code == 202
    detail = wait_detail(seeded.inbox, teammate, thread, lambda t: t["assignee_id"] is not None)
    assert detail["assignee_name"] == "Sam Rivera"


def test_presence_is_live_and_a_colliding_reply_is_held_back(
    seeded: Seeded, replica: Replica, teammate: str, visitor: Visitor
) -> None:
    thread, owner = visitor.thread_id, seeded.staff_token
    events = open_stream(seeded.inbox, owner)
    try:
        assert (
            post(replica.url, teammate, f"{thread}/presence", {"state": "typing"}).status_code
            == 200
        )
        frame = events.wait_for(
            "presence", lambda f: f["thread_id"] == thread and bool(f["people"])
        )
        assert frame["people"][0]["name"] == "Sam Rivera"
        assert frame["people"][0]["state"] == "typing" and frame["people"][0]["ttl_ms"] > 0

        held = post(seeded.inbox, owner, f"{thread}/messages", {"text": "Me too!"})
        assert held.status_code == 409
        assert held.json()["error"] == {
            "code": "collision",
            "message": "Sam Rivera is typing in this thread.",
        }
        forced = post(seeded.inbox, owner, f"{thread}/messages", {"text": "Me too!", "force": True})
        assert forced.status_code == 202

        # the teammate now sends right after the owner's reply: warned as well
        post(replica.url, teammate, f"{thread}/presence", {"state": "viewing"})
        late = post(replica.url, teammate, f"{thread}/messages", {"text": "Hi!"})
        assert late.status_code == 409 and "replied" in late.json()["error"]["message"]

        assert (
            post(replica.url, teammate, f"{thread}/presence", {"state": "left"}).status_code == 200
        )
        events.wait_for("presence", lambda f: f["thread_id"] == thread and not f["people"])
    finally:
        events.close()
    detail = wait_detail(
        seeded.inbox, owner, thread, lambda t: any(m["author"] == "staff" for m in t["messages"])
    )
    assert [m["text"] for m in detail["messages"] if m["author"] == "staff"] == ["Me too!"]
