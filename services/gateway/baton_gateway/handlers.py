"""Kafka subscriber of the gateway: projects what each visitor may see."""

from collections.abc import Callable

import structlog
from faststream.kafka import KafkaBroker

from baton_events import (
    AiReplyCommitted,
    StaffReplied,
    ThreadMode,
    ThreadModeChanged,
    Topics,
    VisitorMessageReceived,
)
from baton_gateway.domain import (
    HandoverPositions,
    is_late_commit,
    talks_over_teammate,
    visible_message,
)
from baton_gateway.metrics import AI_AFTER_TEAMMATE, LATE_AI_COMMITS_WITHHELD
from baton_gateway.ports import GatewayAdapters
from baton_gateway.visitor_state import state_change
from baton_runtime.consumer import subscribe_in_thread_order
from baton_runtime.delivery import Delivery
from baton_runtime.kafka import ConsumerIdentity
from baton_runtime.owned_copy import OwnedCopy

log = structlog.get_logger()


def register_handlers(
    broker: KafkaBroker,
    topics: Topics,
    consumer: ConsumerIdentity,
    *,
    adapters: Callable[[], GatewayAdapters],
    handovers: OwnedCopy[HandoverPositions],
) -> None:
    """`handovers`: each thread's teammate and hand-back positions as this replica last read
    or wrote them (baton_runtime.owned_copy), so an AI reply's check reads no store."""

    async def project(delivery: Delivery) -> None:
        event, messages = delivery.event, adapters().messages
        # Mode changes and escalations: the widget's state (AI typing, the e-mail prompt).
        if (change := state_change(event)) is not None:
            if isinstance(event, ThreadModeChanged) and event.mode is ThreadMode.AI:
                await handovers.write(
                    event.thread_id,
                    lambda: messages.record_ai_resume_position(event.thread_id, delivery.position),
                    lambda held: held.after_ai_resume(delivery.position) if held else None,
                )
            await adapters().sessions.apply(event.thread_id, change, delivery.position)
            # Also on a redelivery: the first attempt may have died before publishing, and the
            # streams read the state on this notice only (a message notice reads none).
            await adapters().live.state_changed(event.thread_id)
            return
        match event:
            case StaffReplied():
                await handovers.write(
                    event.thread_id,
                    lambda: messages.record_staff_position(event.thread_id, delivery.position),
                    lambda held: held.after_staff(delivery.position) if held else None,
                )
                await messages.add(visible_message(event, delivery.position))
            case VisitorMessageReceived():
                await messages.add(visible_message(event, delivery.position))
            case AiReplyCommitted():
                positions = await handovers.read(
                    event.thread_id, lambda: messages.handover_positions(event.thread_id)
                )
                if is_late_commit(event, positions.last_staff):
                    LATE_AI_COMMITS_WITHHELD.inc()
                    log.warning("late_ai_commit_withheld", reply_id=event.reply_id)
                    return
                if talks_over_teammate(positions):
                    # Delivered all the same: hiding it would hide the bug from the visitor's
                    # transcript and the audit; the counter and the error log raise the alarm.
                    AI_AFTER_TEAMMATE.inc()
                    log.error("ai_after_teammate", reply_id=event.reply_id)
                await messages.add(visible_message(event, delivery.position))

    subscribe_in_thread_order(
        broker,
        topics,
        consumer,
        project,
        on_rebalance=handovers.forget_all,
        title="gateway",
        description="Projects the messages a visitor may see and notifies their live streams.",
    )
