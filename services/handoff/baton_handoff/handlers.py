"""Kafka subscriber of the handoff service: folds every conversation event in log order."""

from collections.abc import Callable
from datetime import timedelta

import structlog
from faststream.kafka import KafkaBroker

from baton_events import Topics, VisitorMessageReceived
from baton_handoff.domain import ModeState, decide, folds, worth_saving
from baton_handoff.metrics import count_output
from baton_handoff.ports import HandoffAdapters
from baton_runtime.consumer import subscribe_in_thread_order
from baton_runtime.delivery import Delivery
from baton_runtime.kafka import ConsumerIdentity, publish_event
from baton_runtime.owned_copy import OwnedCopy

log = structlog.get_logger()


def register_handlers(
    broker: KafkaBroker,
    topics: Topics,
    consumer: ConsumerIdentity,
    *,
    adapters: Callable[[], HandoffAdapters],
    default_handback_idle: timedelta,
    modes: OwnedCopy[ModeState],
) -> None:
    """`modes`: the thread modes this replica folded lately (baton_runtime.owned_copy), so a
    thread's next event reads no store."""

    async def fold(delivery: Delivery) -> None:
        event = delivery.event
        if not folds(event):
            return
        store = adapters().store
        state = await modes.read(
            event.thread_id, lambda: store.load(event.thread_id, event.account_id)
        )
        decision = decide(state, event, delivery.position, default_handback_idle)
        if decision.state == state:
            return
        # Outputs first, then the state with its log position: a crash in between replays
        # the same decision, and its deterministic event ids make the repeat a no-op.
        for output in decision.outputs:
            await publish_event(broker, topics.conversation_events, output)
            count_output(output)
            log.info("handoff_published", output=getattr(output, "type", ""))
        if worth_saving(state, decision.state):
            await modes.write(
                event.thread_id, lambda: store.save(decision.state), lambda _: decision.state
            )
        if isinstance(event, VisitorMessageReceived):
            await store.record_mode_at_message(event.message_id, decision.state)

    subscribe_in_thread_order(
        broker,
        topics,
        consumer,
        fold,
        on_rebalance=modes.forget_all,
        title="handoff",
        description="Folds the thread mode projection; commits or suppresses AI proposals.",
    )
