"""Driving a service's subscribers in memory (faststream's TestKafkaBroker): no Kafka, no
stores, only the fakes a test hands to the service's composition root."""

import json
from typing import Any

from faststream.kafka import KafkaBroker, TestKafkaBroker

from baton_events import ConversationEvent, StaffReplied, VisitorMessageReceived, encode_event
from baton_events.codec import AnyEnvelope
from baton_runtime.consumer import conversation_decoder
from baton_runtime.kafka import DURABLE_ACK

# Settings every in-memory test builds its service with; nothing connects anywhere.
UNIT_SETTINGS: dict[str, Any] = {"token_secret": "unit-tests-only", "topic_prefix": "unit."}


def newer_minor(event: AnyEnvelope) -> bytes:
    """The event as a producer one minor version ahead writes it: a field this code does
    not know yet."""
    body = json.loads(encode_event(event))
    return json.dumps({**body, "version": "1.9", "added_in_1_9": "ignored"}).encode()


UNKNOWN_TYPE = json.dumps({"type": "thread_archived", "version": "1.0", "thread_id": "t"}).encode()
UNREADABLE = b"{not json"


async def publish_all(broker: KafkaBroker, topic: str, *bodies: bytes) -> None:
    """Hand each record to the broker's subscribers of `topic`, in order, in memory. A
    record sits at offset 0 there, so a subscriber guarded by log position folds only one
    record per prepared state."""
    async with TestKafkaBroker(broker) as test_broker:
        for body in bodies:
            await test_broker.publish(body, topic=topic)


def conversation_spy(broker: KafkaBroker, topic: str) -> list[ConversationEvent]:
    """Every conversation event published on `topic` from now on, in order (its own group,
    so the service's subscriber still gets each one too)."""
    seen: list[ConversationEvent] = []

    @broker.subscriber(
        topic, group_id="unit-spy", ack_policy=DURABLE_ACK, decoder=conversation_decoder
    )
    async def spy(event: ConversationEvent) -> None:
        seen.append(event)

    return seen


def visitor_message(text: str = "hello") -> VisitorMessageReceived:
    """Message m1 of thread t1 (account a1, bot b1)."""
    return VisitorMessageReceived(
        thread_id="t1",
        account_id="a1",
        bot_id="b1",
        message_id="m1",
        client_message_id="c1",
        text=text,
    )


def staff_reply(handback_idle_seconds: int | None = None) -> StaffReplied:
    """Ana's message s1 in thread t1: it takes the thread over (with the bot's idle time, when
    it has one of its own)."""
    return StaffReplied(
        thread_id="t1",
        account_id="a1",
        message_id="s1",
        staff_id="u1",
        staff_name="Ana",
        text="hi",
        handback_idle_seconds=handback_idle_seconds,
    )
