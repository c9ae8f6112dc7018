"""The widget API end to end over real Kafka, FerretDB, Redis and Chroma."""

import time
import uuid
from typing import Any

import httpx
import pytest

from tests.integration.conftest import DEMO_ORIGIN, Seeded
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration


def is_ai(message: dict[str, Any]) -> bool:
    return bool(message["author"] == "ai")


def wait_for_thread(mongo: Any, thread_id: str, predicate: Any, timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        doc = mongo["inbox_threads"].find_one({"_id": thread_id})
        if doc is not None and predicate(doc):
            return doc
        time.sleep(0.1)
    raise AssertionError(f"thread {thread_id} never matched; last: {doc}")


def test_question_gets_cited_answer_on_stream_and_thread_in_mongo(
    seeded: Seeded, mongo: Any
) -> None:
    visitor = Visitor.open(
        seeded.gateway, DEMO_ORIGIN, seeded.bot_key, name="Ada", email="ada@example.test"
    )
    stream = visitor.stream()
    try:
        response = visitor.send("How do I import my contacts?")
        assert response.status_code == 202, response.text
        answer = stream.wait_for(is_ai, timeout=15)
    finally:
        stream.close()
    assert answer["sources"], answer
    assert any("importing-contacts" in source["url"] for source in answer["sources"]), answer
    assert "import" in answer["text"].lower()

    thread = wait_for_thread(mongo, visitor.thread_id, lambda doc: doc.get("last_message_at"))
    assert thread["account_id"] == seeded.account_id
    assert thread["visitor"]["email"] == "ada@example.test"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        authors = [
            m["author"]
            for m in mongo["inbox_messages"].find({"thread_id": visitor.thread_id}).sort("position")
        ]
        if authors == ["visitor", "ai"]:
            break
        time.sleep(0.1)
    assert authors == ["visitor", "ai"]
    stored_ai = mongo["inbox_messages"].find_one({"thread_id": visitor.thread_id, "author": "ai"})
    assert stored_ai["sources"] == answer["sources"]
    assert 0 < stored_ai["confidence"] <= 1


def test_same_client_message_id_is_one_message(seeded: Seeded) -> None:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
    client_id = str(uuid.uuid4())
    first = visitor.send("How do I export deals?", client_id)
    second = visitor.send("How do I export deals?", client_id)
    assert first.status_code == second.status_code == 202
    assert first.json()["message_id"] == second.json()["message_id"]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        history = visitor.history()
        if any(m["author"] == "ai" for m in history):
            break
        time.sleep(0.1)
    time.sleep(0.5)  # a duplicate would have been projected by now
    authors = [m["author"] for m in visitor.history()]
    assert authors == ["visitor", "ai"], authors


def test_stream_resumes_after_last_event_id_without_gaps(seeded: Seeded) -> None:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
    first = visitor.stream()
    try:
        visitor.send("How do I reset my password?")
        first.wait_for(is_ai, timeout=15)
    finally:
        first.close()
    seen_ids = [event_id for event_id, _ in first.events]
    assert len(seen_ids) == 2 and all(seen_ids)
    # While disconnected, another exchange happens.
    visitor.send("How do I connect Gmail?")
    deadline = time.monotonic() + 15
    while len(visitor.history()) < 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    resumed = visitor.stream(last_event_id=seen_ids[-1])
    try:
        resumed.wait_for(
            lambda m: (m["author"] == "ai" and "gmail" in m["text"].lower()) or is_ai(m), timeout=10
        )
        time.sleep(0.3)
    finally:
        resumed.close()
    resumed_ids = [event_id for event_id, _ in resumed.events]
    all_ids = [str(i) for i in seen_ids + resumed_ids]
    assert len(resumed_ids) == 2, resumed.events
    assert len(set(all_ids)) == 4, "a message was delivered twice"
    assert [int(i) for i in all_ids] == sorted(int(i) for i in all_ids)
    assert [m["id"] for m in visitor.history()] == [
        m["id"] for m in first.messages() + resumed.messages()
    ]


@pytest.mark.parametrize(
    ("case", "expected_status", "expected_code"),
    [
        ("unknown_bot", 404, "unknown_bot"),
        ("origin_not_allowed", 403, "origin_not_allowed"),
        ("origin_missing", 403, "origin_required"),
        ("missing_visitor_fields_ok", 201, None),
        ("bad_json", 422, "invalid_request"),
    ],
)
def test_session_bad_input(
    seeded: Seeded, case: str, expected_status: int, expected_code: str | None
) -> None:
    url = f"{seeded.gateway}/v1/widget/sessions"
    origin = {"Origin": DEMO_ORIGIN}
    requests = {
        "unknown_bot": lambda: httpx.post(
            url, json={"bot_key": "no-such-bot", "visitor": {}}, headers=origin
        ),
        "origin_not_allowed": lambda: httpx.post(
            url,
            json={"bot_key": seeded.bot_key, "visitor": {}},
            headers={"Origin": "https://evil.example"},
        ),
        "origin_missing": lambda: httpx.post(url, json={"bot_key": seeded.bot_key, "visitor": {}}),
        "missing_visitor_fields_ok": lambda: httpx.post(
            url, json={"bot_key": seeded.bot_key}, headers=origin
        ),
        "bad_json": lambda: httpx.post(
            url, content=b"{not json", headers={**origin, "Content-Type": "application/json"}
        ),
    }
    response = requests[case]()
    assert response.status_code == expected_status, response.text
    if expected_code:
        assert response.json()["error"]["code"] == expected_code
        assert response.json()["error"]["message"]


def test_message_bad_input(seeded: Seeded) -> None:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
    other = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
    url = f"{seeded.gateway}/v1/widget/threads/{visitor.thread_id}/messages"
    cases = [
        (
            "forged token",
            {"Authorization": "Bearer forged", "Origin": DEMO_ORIGIN},
            {"text": "x", "client_message_id": "a"},
            401,
            "invalid_token",
        ),
        (
            "no token",
            {"Origin": DEMO_ORIGIN},
            {"text": "x", "client_message_id": "a"},
            401,
            "token_required",
        ),
        (
            "other thread's token",
            other.headers,
            {"text": "x", "client_message_id": "a"},
            403,
            "wrong_thread",
        ),
        ("missing text", visitor.headers, {"client_message_id": "b"}, 422, "invalid_request"),
        (
            "blank text",
            visitor.headers,
            {"text": "   ", "client_message_id": "b"},
            422,
            "invalid_request",
        ),
        ("missing client id", visitor.headers, {"text": "hello"}, 422, "invalid_request"),
        (
            "100 kB text",
            visitor.headers,
            {"text": "x" * 100_000, "client_message_id": "c"},
            413,
            "body_too_large",
        ),
        (
            "5000 chars",
            visitor.headers,
            {"text": "x" * 5000, "client_message_id": "c"},
            422,
            "invalid_request",
        ),
        (
            "wrong origin",
            {**visitor.headers, "Origin": "https://evil.example"},
            {"text": "x", "client_message_id": "d"},
            403,
            "origin_not_allowed",
        ),
    ]
    for name, headers, body, status, code in cases:
        response = httpx.post(url, json=body, headers=headers)
        assert response.status_code == status, (name, response.text)
        assert response.json()["error"]["code"] == code, name
    missing = httpx.post(url, json={"text": "x"}, headers=visitor.headers)
    assert missing.json()["error"]["field"] == "client_message_id"


def test_history_and_stream_refuse_bad_tokens_and_ids(seeded: Seeded) -> None:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
    base = f"{seeded.gateway}/v1/widget/threads/{visitor.thread_id}"
    assert httpx.get(f"{base}/messages", headers={"Origin": DEMO_ORIGIN}).status_code == 401
    assert (
        httpx.get(f"{base}/stream?token=forged", headers={"Origin": DEMO_ORIGIN}).status_code == 401
    )
    bad_resume = httpx.get(f"{base}/stream", headers={**visitor.headers, "Last-Event-ID": "abc"})
    assert bad_resume.status_code == 400
    assert bad_resume.json()["error"]["code"] == "bad_last_event_id"
    evil = httpx.get(
        f"{base}/stream?token={visitor.token}", headers={"Origin": "https://evil.example"}
    )
    assert evil.status_code == 403


def test_preflight_allows_widget_headers(seeded: Seeded) -> None:
    response = httpx.options(
        f"{seeded.gateway}/v1/widget/sessions",
        headers={
            "Origin": DEMO_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,authorization",
        },
    )
    assert response.status_code == 200
    assert "authorization" in response.headers["access-control-allow-headers"].lower()
