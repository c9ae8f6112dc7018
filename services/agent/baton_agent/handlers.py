"""Kafka subscriber of the agent: answers visitor messages while the thread is AI-owned."""

from collections.abc import Callable

import structlog
from faststream.kafka import KafkaBroker

from baton_agent.ports import AgentAdapters
from baton_agent.settings import AgentSettings
from baton_events import (
    AiReplyProposed,
    EscalationRaised,
    StaffReplied,
    ThreadMode,
    ThreadStarted,
    Topics,
    VisitorContactLeft,
    VisitorMessageReceived,
)
from baton_events.envelope import stable_event_id
from baton_runtime.consumer import Delivery, subscribe_in_thread_order
from baton_runtime.kafka import ConsumerIdentity, publish_event

log = structlog.get_logger()


def register_handlers(
    broker: KafkaBroker,
    topics: Topics,
    consumer: ConsumerIdentity,
    *,
    adapters: Callable[[], AgentAdapters],
    settings: AgentSettings,
) -> None:
    async def answer(delivery: Delivery) -> None:
        message, memory, modes = delivery.event, adapters().memory, adapters().modes
        if isinstance(message, ThreadStarted) and message.visitor.email:
            await memory.email_known(message.thread_id)
        if isinstance(message, VisitorContactLeft):
            # Later offline notices then stop asking the visitor for an address.
            await memory.email_known(message.thread_id)
        if isinstance(message, StaffReplied):
            await memory.human_replied(message.thread_id)
        if not isinstance(message, VisitorMessageReceived):
            return
        before = await modes.for_message(
            message.thread_id, message.message_id, settings.agent_projection_wait_seconds
        )
        if before.mode is not ThreadMode.AI:
            log.info("agent_silent", mode=before.mode.value)
            return
        if await adapters().typing.anyone_typing(message.account_id, message.thread_id):
            log.info("agent_paused_staff_typing")
            return
        reply = await adapters().flow.reply(message)
        # Second look: a teammate may have replied while we composed. The handoff still
        # arbitrates in log order; this only saves a proposal that would be suppressed.
        after = await modes.current(message.thread_id)
        if after.mode is not ThreadMode.AI:
            log.info("agent_silent_after_compose", mode=after.mode.value)
            return
        reply_id = str(stable_event_id(message.message_id, "ai_reply"))
        proposal = AiReplyProposed(
            event_id=stable_event_id(reply_id, "proposed"),
            thread_id=message.thread_id,
            account_id=message.account_id,
            reply_id=reply_id,
            in_reply_to=message.message_id,
            text=reply.text,
            sources=reply.sources,
            confidence=reply.confidence,
            mode_version_seen=after.version,
        )
        await publish_event(broker, topics.conversation_events, proposal)
        if reply.escalate and reply.reason is not None:
            escalation = EscalationRaised(
                event_id=stable_event_id(message.message_id, "escalation"),
                thread_id=message.thread_id,
                account_id=message.account_id,
                message_id=message.message_id,
                reason=reply.reason,
                detail=message.text[:200],
            )
            await publish_event(broker, topics.conversation_events, escalation)
        log.info("ai_reply_proposed", confidence=reply.confidence, escalate=reply.escalate)

    subscribe_in_thread_order(
        broker,
        topics.conversation_events,
        consumer,
        answer,
        title="agent",
        description="Answers visitor messages from the bot's help docs while the thread is AI-owned.",
    )
