"""Kafka subscriber of the inbox for ingest.events: each job event goes, live, to the Bots pages
of the bot's account (Redis pub/sub, like thread changes), and to no other account.

The effect is the publish to the account's channel; the offset is committed after it (a failed
lookup or publish seeks back and the record comes again). Nothing is stored: the job record in
the ingest service is the truth, and a page that missed an event reads it again.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import structlog
from faststream.kafka import KafkaBroker, KafkaMessage

from baton_events import Topics
from baton_events.codec import decode_ingest_event, dump_event
from baton_events.ingest import IngestEvent, IngestEventEnvelope
from baton_inbox.ports import BotOwners, InboxAdapters, LiveChanges
from baton_runtime.consumer import tolerant_decoder
from baton_runtime.delivery import handling
from baton_runtime.kafka import DURABLE_ACK, ConsumerIdentity

log = structlog.get_logger()

# Older than this, an event is history, not progress. A new consumer group starts from the
# earliest offset (so nothing published while it joins is lost); without this cut its first
# run would replay the topic's whole retention to the open pages.
MAX_EVENT_AGE = timedelta(minutes=10)


async def forward(
    event: IngestEventEnvelope,
    bots: BotOwners,
    live: LiveChanges,
    now: datetime | None = None,
) -> bool:
    """Publish the event to its bot's account; False when it is not sent (too old, or a bot
    the inbox does not know)."""
    occurred = event.occurred_at
    if occurred.tzinfo is None:  # the ingest service writes UTC; a naive time must not crash
        occurred = occurred.replace(tzinfo=UTC)
    if (now or datetime.now(UTC)) - occurred > MAX_EVENT_AGE:
        return False
    account_id = await bots.account_of(event.bot_id)
    if account_id is None:
        log.info("ingest_event_for_unknown_bot")
        return False
    await live.ingest_job_changed(account_id, dump_event(event))
    return True


def register_ingest_handlers(
    broker: KafkaBroker,
    topics: Topics,
    consumer: ConsumerIdentity,
    *,
    adapters: Callable[[], InboxAdapters],
) -> None:
    @broker.subscriber(
        topics.ingest_events,
        ack_policy=DURABLE_ACK,
        decoder=tolerant_decoder(decode_ingest_event),
        **consumer.group_options(),
        title="inbox-ingest",
        description="Sends ingest job progress to the Bots pages of the bot's account.",
    )
    async def on_ingest_event(event: IngestEvent, message: KafkaMessage) -> None:
        async with handling(
            message,
            "ingest_event_handler_failed",
            bot_id=event.bot_id,
            job_id=event.job_id,
            event_id=str(event.event_id),
        ):
            await forward(event, adapters().bots, adapters().live)
