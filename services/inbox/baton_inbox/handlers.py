"""Kafka subscriber of the inbox: materializes threads and messages into MongoDB."""

from typing import Any

from faststream.kafka import KafkaBroker, KafkaMessage

from baton_events import ThreadStarted, Topics, VisitorMessageReceived
from baton_inbox.adapters.threads import ThreadStore
from baton_inbox.domain import message_document, thread_changes, thread_document
from baton_runtime.consumer import Delivery, deliver
from baton_runtime.kafka import DURABLE_ACK, ConsumerIdentity


def register_handlers(
    broker: KafkaBroker, topics: Topics, threads: ThreadStore, *, consumer: ConsumerIdentity
) -> None:
    async def materialize(delivery: Delivery) -> None:
        event = delivery.event
        if isinstance(event, ThreadStarted):
            await threads.start_thread(thread_document(event), delivery.position)
            return
        message = message_document(event, delivery.position)
        if message is not None:
            await threads.add_message(message)
        changes = thread_changes(event)
        if changes:
            await threads.apply(event.thread_id, delivery.position, changes)
        if isinstance(event, VisitorMessageReceived):
            await threads.mark_waiting(event.thread_id, event.occurred_at)

    @broker.subscriber(
        topics.conversation_events,
        ack_policy=DURABLE_ACK,
        group_id=consumer.group_id,
        group_instance_id=consumer.group_instance_id,
        session_timeout_ms=consumer.session_timeout_ms,
        heartbeat_interval_ms=consumer.heartbeat_interval_ms,
        auto_offset_reset="earliest",
        title="inbox",
        description="Materializes threads and their full history for the staff inbox.",
    )
    async def on_conversation_event(body: Any, message: KafkaMessage) -> None:
        await deliver(message, materialize)
