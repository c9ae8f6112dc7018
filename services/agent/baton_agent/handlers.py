"""Kafka subscriber of the agent: answers visitor messages while the thread is AI-owned."""

import asyncio
import time
from collections.abc import Callable

import structlog
from faststream.kafka import KafkaBroker

from baton_agent.adapters.mode_reader import ModeView
from baton_agent.metrics import (
    COMPOSE_SECONDS,
    DRAFTS_DISCARDED,
    ESCALATIONS,
    MODE_WAIT_SECONDS,
    REPLIES_PROPOSED,
    STAYED_SILENT,
)
from baton_agent.ports import AgentAdapters
from baton_agent.settings import AgentSettings
from baton_answering.answer import Answer
from baton_events import (
    AiReplyProposed,
    EscalationRaised,
    StaffReplied,
    ThreadMode,
    ThreadModeChanged,
    ThreadStarted,
    Topics,
    VisitorContactLeft,
    VisitorMessageReceived,
)
from baton_events.envelope import stable_event_id
from baton_runtime.consumer import subscribe_in_thread_order
from baton_runtime.delivery import Delivery
from baton_runtime.kafka import ConsumerIdentity, publish_event

log = structlog.get_logger()
# The mode changes that give a thread back to the AI from a teammate (the handoff's reasons);
# "visitor_reopened" is not one: the visitor's own message, answered as usual, caused it.
AI_RESUMES = frozenset({"handed_back", "idle"})
# How often a message paused by a teammate's typing looks again (presence entries expire a few
# seconds after the last keystroke).
TYPING_RECHECK_SECONDS = 1.0


def register_handlers(
    broker: KafkaBroker,
    topics: Topics,
    consumer: ConsumerIdentity,
    *,
    adapters: Callable[[], AgentAdapters],
    settings: AgentSettings,
) -> None:
    async def answer(delivery: Delivery) -> None:
        event, memory, modes = delivery.event, adapters().memory, adapters().modes
        if isinstance(event, ThreadStarted) and event.visitor.email:
            await memory.email_known(event.thread_id)
        if isinstance(event, VisitorContactLeft):
            # Later offline notices then stop asking the visitor for an address.
            await memory.email_known(event.thread_id)
        if isinstance(event, StaffReplied):
            await memory.human_replied(event.thread_id)
        if isinstance(event, ThreadModeChanged) and event.reason in AI_RESUMES:
            # Back from a teammate: the visitor's question no teammate answered gets its answer.
            held = await memory.held(event.thread_id)
            if held is not None:
                log.info("agent_answers_held_message", message_id=held.message_id)
                # The handoff publishes the change before it stores it: the projection may
                # still read the teammate's mode, so the event itself is the newer view.
                resumed = ModeView(ThreadMode.AI, event.mode_version, delivery.position)
                await reply_to(held, resumed)
            return
        if not isinstance(event, VisitorMessageReceived):
            return
        # The docs' answer is drafted while the handoff's verdict on this message is awaited:
        # the wait and the retrieval overlap instead of adding up. A draft is only read; it
        # reaches the visitor through the same checks as before, or is discarded.
        draft = asyncio.create_task(adapters().flow.draft(event))
        try:
            with MODE_WAIT_SECONDS.time():
                before = await modes.for_message(
                    event.thread_id, event.message_id, settings.agent_projection_wait_seconds
                )
            if before.mode is not ThreadMode.AI:
                await memory.hold(event)
                STAYED_SILENT.labels("teammate_owns").inc()
                log.info("agent_silent", mode=before.mode.value)
                return
            if not await typing_stopped(event):
                STAYED_SILENT.labels("teammate_typing").inc()
                log.info("agent_paused_staff_typing")
                return
            await reply_to(event, draft=draft)
        finally:
            discard(draft)

    async def typing_stopped(message: VisitorMessageReceived) -> bool:
        """Whether no teammate is typing in the thread, waiting up to the setting for one who
        is: their reply is on its way, but one who stops without sending must not leave the
        visitor unanswered. Only this thread's lane waits. A teammate who sent meanwhile took
        the thread: the reply's second look and the handoff's arbitration keep the AI out."""
        typing = adapters().typing
        deadline = time.monotonic() + settings.agent_typing_wait_seconds
        while await typing.anyone_typing(message.account_id, message.thread_id):
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(TYPING_RECHECK_SECONDS)
        return True

    def discard(draft: "asyncio.Task[Answer]") -> None:
        if draft.done():
            # Read, so a draft that failed unawaited is no "exception never retrieved".
            _ = draft.cancelled() or draft.exception()
            return
        DRAFTS_DISCARDED.inc()
        draft.cancel()

    async def reply_to(
        message: VisitorMessageReceived,
        resumed: ModeView | None = None,
        draft: "asyncio.Task[Answer] | None" = None,
    ) -> None:
        with COMPOSE_SECONDS.time():
            reply = await adapters().flow.reply(message, draft)
        # Second look: a teammate may have replied while we composed. The handoff still
        # arbitrates in log order; this only saves a proposal that would be suppressed.
        after = await adapters().modes.current(message.thread_id)
        if resumed is not None and after.version < resumed.version:
            after = resumed
        if after.mode is not ThreadMode.AI:
            STAYED_SILENT.labels("taken_while_composing").inc()
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
            ESCALATIONS.labels(reply.reason.value).inc()
        REPLIES_PROPOSED.labels("escalated" if reply.escalate else "answered").inc()
        if resumed is not None:
            # Only a held message is answered at a hand-back; forgetting it after the proposal
            # means a crash before it leaves it held, and the repeat proposal has the same id.
            await adapters().memory.forget_held(message.thread_id, message.message_id)
        log.info("ai_reply_proposed", confidence=reply.confidence, escalate=reply.escalate)

    subscribe_in_thread_order(
        broker,
        topics,
        consumer,
        answer,
        title="agent",
        description="Answers visitor messages from the bot's help docs while the thread is AI-owned.",
    )
