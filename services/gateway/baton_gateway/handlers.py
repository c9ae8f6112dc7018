"""Kafka subscriber of the gateway: projects what each visitor may see."""

from typing import Any

import structlog
from faststream.kafka import KafkaBroker, KafkaMessage

from baton_events import AiReplyCommitted, StaffReplied, Topics, VisitorMessageReceived
from baton_gateway.adapters.live import LiveSignals
from baton_gateway.adapters.messages import VisibleMessages
from baton_gateway.adapters.sessions import WidgetSessions
from baton_gateway.domain import is_late_commit, visible_message
from baton_gateway.visitor_state import state_change
from baton_runtime.consumer import Delivery, deliver
from baton_runtime.kafka import DURABLE_ACK, ConsumerIdentity

log = structlog.get_logger()


def register_handlers(
    broker: KafkaBroker,
    topics: Topics,
    messages: VisibleMessages,
    sessions: WidgetSessions,
    live: LiveSignals,
    *,
    consumer: ConsumerIdentity,
) -> None:
    async def project(delivery: Delivery) -> None:
        event = delivery.event
        # Mode changes and escalations: the widget's state (AI typing, the e-mail prompt).
        if (change := state_change(event)) is not None:
            if await sessions.apply(event.thread_id, change, delivery.position):
                await live.state_changed(event.thread_id)
            return
        match event:
            case StaffReplied():
                await messages.record_staff_position(event.thread_id, delivery.position)
                await messages.add(visible_message(event, delivery.position))
            case VisitorMessageReceived():
                await messages.add(visible_message(event, delivery.position))
            case AiReplyCommitted():
                last_staff = await messages.last_staff_position(event.thread_id)
                if is_late_commit(event, last_staff):
                    log.warning("late_ai_commit_withheld", reply_id=event.reply_id)
                    return
                await messages.add(visible_message(event, delivery.position))

    @broker.subscriber(
        topics.conversation_events,
        ack_policy=DURABLE_ACK,
        **consumer.group_options(),
        title="gateway",
        description="Projects the messages a visitor may see and notifies their live streams.",
    )
    async def on_conversation_event(body: Any, message: KafkaMessage) -> None:
        await deliver(message, project)
