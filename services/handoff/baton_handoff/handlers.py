"""Kafka subscriber of the handoff service: folds every conversation event in log order."""

from datetime import timedelta
from typing import Any

import structlog
from faststream.kafka import KafkaBroker, KafkaMessage

from baton_events import Topics, VisitorMessageReceived
from baton_handoff.adapters.mode_store import ModeStore
from baton_handoff.domain import decide
from baton_runtime.consumer import Delivery, deliver
from baton_runtime.kafka import DURABLE_ACK, ConsumerIdentity, publish_event

log = structlog.get_logger()


def register_handlers(
    broker: KafkaBroker,
    topics: Topics,
    store: ModeStore,
    *,
    consumer: ConsumerIdentity,
    default_handback_idle: timedelta,
) -> None:
    async def fold(delivery: Delivery) -> None:
        event = delivery.event
        state = await store.load(event.thread_id, event.account_id)
        decision = decide(state, event, delivery.position, default_handback_idle)
        if decision.state == state:
            return
        # Outputs first, then the state with its log position: a crash in between replays
        # the same decision, and its deterministic event ids make the repeat a no-op.
        for output in decision.outputs:
            await publish_event(broker, topics.conversation_events, output)
            log.info("handoff_published", output=getattr(output, "type", ""))
        await store.save(decision.state)
        if isinstance(event, VisitorMessageReceived):
            await store.record_mode_at_message(event.message_id, decision.state)

    @broker.subscriber(
        topics.conversation_events,
        ack_policy=DURABLE_ACK,
        **consumer.group_options(),
        title="handoff",
        description="Folds the thread mode projection; commits or suppresses AI proposals.",
    )
    async def on_conversation_event(body: Any, message: KafkaMessage) -> None:
        await deliver(message, fold)
