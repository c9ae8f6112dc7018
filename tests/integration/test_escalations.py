"""Escalations over the real stack: the visitor is told, the thread is flagged for staff."""

import time
from typing import Any

import httpx
import pytest
from redis import Redis

from baton_contracts import redis_keys
from tests.integration.conftest import DEMO_ORIGIN, Seeded
from tests.support.infra import infra
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration


def wait_for(predicate: Any, timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition never held")


def thread(seeded: Seeded, thread_id: str) -> dict[str, Any] | None:
    response = httpx.get(
        f"{seeded.inbox}/v1/threads/{thread_id}",
        headers={"Authorization": f"Bearer {seeded.staff_token}"},
    )
    return response.json() if response.status_code == 200 else None


def ai_messages(visitor: Visitor) -> list[dict[str, Any]]:
    return [m for m in visitor.history() if m["author"] == "ai"]


def test_asking_for_a_person_flags_the_thread_and_asks_for_an_email_when_nobody_is_online(
    seeded: Seeded,
) -> None:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key, name="No Email")
    visitor.send("I want to talk to a real person please")
    reply = wait_for(lambda: ai_messages(visitor))[0]
    # Nobody online: the team has it, and no teammate is promised "now".
    assert "passed this to our team" in reply["text"] and "bringing" not in reply["text"]
    assert "e-mail" in reply["text"].lower() and "isn't online" in reply["text"]
    flagged = wait_for(
        lambda: (t := thread(seeded, visitor.thread_id)) and t.get("needs_human") and t
    )
    assert flagged["escalation_reason"] == "asked_for_human"


def test_no_email_request_when_the_visitor_gave_one_and_none_when_staff_is_online(
    seeded: Seeded,
) -> None:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key, email="known@example.test")
    visitor.send("Can I speak to a human agent?")
    reply = wait_for(lambda: ai_messages(visitor))[0]
    assert "isn't online" in reply["text"] and "e-mail" not in reply["text"].lower()

    redis = Redis.from_url(infra().redis_url)
    key = redis_keys.staff_online(seeded.system.env["BATON_REDIS_PREFIX"], seeded.account_id)
    redis.zadd(key, {"someone": (time.time() + 60) * 1000})
    try:
        other = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
        other.send("let me talk to someone from your team")
        reply = wait_for(lambda: ai_messages(other))[0]
        assert "teammate" in reply["text"].lower() and "isn't online" not in reply["text"]
    finally:
        redis.delete(key)


def test_two_unhelpful_turns_escalate_as_unresolved(seeded: Seeded) -> None:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
    visitor.send("How do I import my contacts?")
    wait_for(lambda: len(ai_messages(visitor)) == 1)
    visitor.send("that didn't help")
    wait_for(lambda: len(ai_messages(visitor)) == 2)
    assert not (thread(seeded, visitor.thread_id) or {}).get("needs_human")
    visitor.send("still not working, same problem")
    last = wait_for(lambda: len(ai_messages(visitor)) == 3 and ai_messages(visitor)[-1])
    assert "haven't solved this" in last["text"] and "our team" in last["text"]
    flagged = wait_for(
        lambda: (t := thread(seeded, visitor.thread_id)) and t.get("needs_human") and t
    )
    assert flagged["escalation_reason"] == "unresolved"


def test_the_same_question_again_is_asked_what_is_missing_then_escalated(seeded: Seeded) -> None:
    """Found by exploratory testing: the same question three times got the same answer, the
    same answer again, then an escalation."""
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
    question = "How do I add a new stage to my pipeline?"
    visitor.send(question)
    first = wait_for(lambda: ai_messages(visitor))[0]
    assert first["sources"], first
    visitor.send(question)
    second = wait_for(lambda: len(ai_messages(visitor)) == 2 and ai_messages(visitor)[-1])
    assert "tell me a bit more" in second["text"] and not second["sources"], second
    visitor.send(question)
    third = wait_for(lambda: len(ai_messages(visitor)) == 3 and ai_messages(visitor)[-1])
    assert "haven't solved this" in third["text"], third
    flagged = wait_for(
        lambda: (t := thread(seeded, visitor.thread_id)) and t.get("needs_human") and t
    )
    assert flagged["escalation_reason"] == "unresolved"


def test_question_outside_the_docs_is_not_guessed(seeded: Seeded) -> None:
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
    visitor.send("Do you sell a hardware barcode scanner that ships to Norway?")
    reply = wait_for(lambda: ai_messages(visitor))[0]
    assert reply["sources"] == []
    flagged = wait_for(
        lambda: (t := thread(seeded, visitor.thread_id)) and t.get("needs_human") and t
    )
    assert flagged["escalation_reason"] == "out_of_docs"


def test_a_teammate_with_the_inbox_open_counts_as_online(seeded: Seeded) -> None:
    from tests.support.http import SseRecorder

    inbox_stream = SseRecorder(
        f"{seeded.inbox}/v1/stream", {"Authorization": f"Bearer {seeded.staff_token}"}
    )
    try:
        redis = Redis.from_url(infra().redis_url)
        key = redis_keys.staff_online(seeded.system.env["BATON_REDIS_PREFIX"], seeded.account_id)
        wait_for(lambda: redis.zcard(key) > 0, timeout=10)
        visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
        visitor.send("can I talk to a person?")
        reply = wait_for(lambda: ai_messages(visitor))[0]
        assert "teammate" in reply["text"].lower() and "isn't online" not in reply["text"]
    finally:
        inbox_stream.close()


def bot_with_topics(seeded: Seeded, topics: list[str]) -> str:
    """A bot made the way an admin makes one on the Bots page (the inbox's API)."""
    staff = {"Authorization": f"Bearer {seeded.staff_token}"}
    created = httpx.post(f"{seeded.inbox}/v1/bots", json={"name": "Careful"}, headers=staff)
    assert created.status_code == 201, created.text
    bot = created.json()
    settings = {"allowed_origins": [DEMO_ORIGIN], "sensitive_topics": topics}
    changed = httpx.patch(f"{seeded.inbox}/v1/bots/{bot['id']}", json=settings, headers=staff)
    assert changed.status_code == 200, changed.text
    return str(bot["bot_key"])


def test_a_bots_own_sensitive_topic_goes_to_a_teammate(seeded: Seeded) -> None:
    """The agent (over Kafka) reads the bot's sensitive topics from the bots collection.
    "export" is no built-in topic: the seeded bot answers the same question from its docs."""
    question = "How do I export my deals to a CSV file?"
    careful = Visitor.open(seeded.gateway, DEMO_ORIGIN, bot_with_topics(seeded, ["export"]))
    careful.send(question)
    flagged = wait_for(
        lambda: (t := thread(seeded, careful.thread_id)) and t.get("needs_human") and t
    )
    assert flagged["escalation_reason"] == "sensitive_topic"
    handed = wait_for(lambda: ai_messages(careful))[0]
    assert "teammate" in handed["text"].lower() and handed["sources"] == []

    plain = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
    plain.send(question)
    answer = wait_for(lambda: ai_messages(plain))[0]
    assert any("exporting-data" in source["url"] for source in answer["sources"]), answer
    assert not (thread(seeded, plain.thread_id) or {}).get("needs_human")
