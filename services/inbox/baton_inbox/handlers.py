"""Kafka subscriber of the inbox: materializes threads and messages into MongoDB, then tells
every inbox replica (Redis pub/sub) so the staff streams update at once."""

from typing import Any

from faststream.kafka import KafkaBroker, KafkaMessage

from baton_events import ThreadStarted, Topics, VisitorMessageReceived
from baton_inbox.adapters.threads import ThreadStore
from baton_inbox.domain import message_document, thread_changes, thread_document
from baton_inbox.live.publisher import LivePublisher
from baton_inbox.views import message_view, thread_view
from baton_runtime.consumer import Delivery, deliver
from baton_runtime.kafka import DURABLE_ACK, ConsumerIdentity


def register_handlers(
    broker: KafkaBroker,
    topics: Topics,
    threads: ThreadStore,
    live: LivePublisher,
    *,
    consumer: ConsumerIdentity,
) -> None:
    async def materialize(delivery: Delivery) -> None:
        event, position = delivery.event, delivery.position
        message: dict[str, Any] | None = None
        if isinstance(event, ThreadStarted):
            doc = {**thread_document(event), "partition": delivery.partition}
            await threads.start_thread(doc, position)
        else:
            message = message_document(event, position)
            if message is not None:
                await threads.add_message(message)
            changes = thread_changes(event)
            if not changes and message is None:
                return  # nothing staff can see changed
            if isinstance(event, VisitorMessageReceived):
                await threads.mark_waiting(event.thread_id, event.occurred_at, position)
            # Written last: a thread at position X means everything up to X is stored.
            await threads.apply(
                event.thread_id, position, {**changes, "partition": delivery.partition}
            )
        thread = await threads.thread(event.thread_id)
        if thread is not None:
            # Also on a redelivery: the first attempt may have died before publishing.
            await live.thread_changed(
                thread_view(thread),
                delivery.partition,
                position,
                message_view(message) if message is not None else None,
            )

    @broker.subscriber(
        topics.conversation_events,
        ack_policy=DURABLE_ACK,
        **consumer.group_options(),
        title="inbox",
        description="Materializes threads and their full history for the staff inbox.",
    )
    async def on_conversation_event(body: Any, message: KafkaMessage) -> None:
        await deliver(message, materialize)
