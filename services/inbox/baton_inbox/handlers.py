"""Kafka subscriber of the inbox: materializes threads and messages into MongoDB, then tells
every inbox replica (Redis pub/sub) so the staff streams update at once."""

from collections.abc import Callable
from typing import Any

from faststream.kafka import KafkaBroker

from baton_events import ThreadStarted, Topics
from baton_inbox.domain import (
    first_changes,
    live_message,
    message_document,
    thread_changes,
    thread_document,
    thread_history,
)
from baton_inbox.ports import InboxAdapters
from baton_inbox.views import message_view, thread_view
from baton_runtime.consumer import subscribe_in_thread_order
from baton_runtime.delivery import Delivery, LaneKey
from baton_runtime.kafka import ConsumerIdentity


def register_handlers(
    broker: KafkaBroker,
    topics: Topics,
    consumer: ConsumerIdentity,
    *,
    adapters: Callable[[], InboxAdapters],
) -> None:
    async def store_messages(lane: list[Delivery]) -> None:
        # One insert for the lane's messages, before any of its thread writes: a thread at
        # position X still means every message of its partition up to X is stored.
        documents = [
            document
            for delivery in lane
            if not isinstance(delivery.event, ThreadStarted)
            and (document := message_document(delivery.event, delivery.position)) is not None
        ]
        await adapters().threads.add_messages(documents)

    async def materialize(delivery: Delivery) -> None:
        """One event's thread write and live notice; its message is already stored
        (`store_messages` ran for its lane)."""
        event, position = delivery.event, delivery.position
        threads = adapters().threads
        message: dict[str, Any] | None = None
        thread: dict[str, Any] | None = None
        if isinstance(event, ThreadStarted):
            doc = {**thread_document(event), "partition": delivery.partition}
            thread = await threads.start_thread(doc, position)
        else:
            message = message_document(event, position)
            changes = thread_changes(event, position)
            if not changes and message is None:
                return  # nothing staff can see changed
            # Written last: a thread at position X means everything up to X is stored.
            thread = await threads.apply(
                event.thread_id,
                position,
                {**changes, "partition": delivery.partition},
                thread_history(event, position),
                first_changes(event),
            )
        if thread is None:
            thread = await threads.thread(event.thread_id)
        if thread is not None:
            # Also on a redelivery: the first attempt may have died before publishing.
            await adapters().live.thread_changed(
                thread_view(thread),
                delivery.partition,
                position,
                message_view(live_message(message, thread, position))
                if message is not None
                else None,
            )

    subscribe_in_thread_order(
        broker,
        topics,
        consumer,
        materialize,
        title="inbox",
        # Its live stream resumes from per-partition positions: a partition in order.
        lanes=LaneKey.PARTITION,
        before_lane=store_messages,
        description="Materializes threads and their full history for the staff inbox.",
    )
