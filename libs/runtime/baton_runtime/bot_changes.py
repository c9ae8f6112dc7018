"""Every replica hears every bot change: the bots.events subscription through which the
gateway and the agent drop a changed bot from their caches at once.

Cache invalidation is per replica, so this subscriber joins no consumer group. In a group
(shared by a service's replicas) each change would reach one replica only and the others
would serve the old settings until their TTL; a group per replica would work but leaves a
group behind on the broker at every restart and commits offsets nobody reads. Without a
group, aiokafka assigns every partition of the topic to this consumer, it starts at the end
(`latest`: a starting replica's caches are empty, so older changes mean nothing to it) and
commits nothing.
"""

import asyncio
from collections.abc import Sequence
from typing import Any, Protocol

import structlog
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage

from baton_events import Topics
from baton_events.bots import BotChanged
from baton_events.codec import UnsupportedEventError, decode_bot_event

log = structlog.get_logger()

# Without a group there is no offset to commit: nothing is acknowledged, and a restarted
# replica starts with an empty cache, so no change read before a crash needs reading again.
NO_GROUP_ACK = AckPolicy.MANUAL


class ForgetsBots(Protocol):
    """What caches a bot's settings: a bot adapter of the gateway or the agent."""

    def forget(self, change: BotChanged) -> None: ...

    def forget_all(self) -> None: ...


class BotChangeFeed:
    """The bots.events subscription of one replica, handing each change to its caches."""

    def __init__(
        self, broker: KafkaBroker, topics: Topics, service: str, caches: Sequence[ForgetsBots]
    ) -> None:
        self._caches = tuple(caches)
        self._subscriber = broker.subscriber(
            topics.bot_events,
            group_id=None,
            auto_offset_reset="latest",
            ack_policy=NO_GROUP_ACK,
            title=f"{service}-bot-changes",
            description="Drops a changed bot from this replica's caches (no consumer group: "
            "every replica reads every change).",
        )

        @self._subscriber
        async def on_bot_event(body: Any, message: KafkaMessage) -> None:
            self.apply(message.body)

    def apply(self, raw: bytes | str | dict[str, Any]) -> None:
        """Hand one record of bots.events to the caches."""
        try:
            change = decode_bot_event(raw)
        except (UnsupportedEventError, ValueError) as exc:
            # The caches still expire on their own; retrying cannot fix this body.
            log.error("bot_event_unreadable", error=str(exc))
            return
        if change is None:
            return  # a type this consumer does not know
        for cache in self._caches:
            cache.forget(change)
        log.info(
            "bot_cache_evicted",
            bot_id=change.bot_id,
            change=change.change,
            revision=change.revision,
            event_id=str(change.event_id),
        )

    async def follow(self, wait_seconds: float = 30.0) -> None:
        """Call once the broker has started: waits until the consumer has its start position
        on every partition, then empties the caches. A value read before that moment could
        predate a change the consumer will never see; after it, every change arrives."""
        consumer = self._subscriber.consumer
        if consumer is not None:
            try:
                async with asyncio.timeout(wait_seconds):
                    for partition in consumer.assignment():
                        await consumer.position(partition)
            except TimeoutError:
                # Serve anyway: until the consumer catches up, the caches' TTL bounds staleness.
                log.warning("bot_changes_not_positioned", wait_seconds=wait_seconds)
        for cache in self._caches:
            cache.forget_all()
