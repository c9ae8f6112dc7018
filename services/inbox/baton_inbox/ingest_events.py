"""Kafka subscriber of the inbox for ingest.events: each job event goes, live, to the Bots pages
of the bot's account (Redis pub/sub, like thread changes), and to no other account.

The effect is the publish to the account's channel; the offset is committed after it (a failed
lookup or publish seeks back and the record comes again). Nothing is stored: the job record in
the ingest service is the truth, and a page that missed an event reads it again.
"""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from faststream.kafka import KafkaBroker, KafkaMessage

from baton_events import Topics
from baton_events.codec import UnsupportedEventError, decode_ingest_event, dump_event
from baton_events.ingest import IngestEventEnvelope
from baton_inbox.adapters.bot_accounts import BotAccounts
from baton_inbox.live.publisher import LivePublisher
from baton_runtime.consumer import RETRY_BACKOFF_SECONDS
from baton_runtime.kafka import DURABLE_ACK, ConsumerIdentity

log = structlog.get_logger()

# Older than this, an event is history, not progress. A new consumer group starts from the
# earliest offset (so nothing published while it joins is lost); without this cut its first
# run would replay the topic's whole retention to the open pages.
MAX_EVENT_AGE = timedelta(minutes=10)


async def forward(
    event: IngestEventEnvelope,
    bots: BotAccounts,
    live: LivePublisher,
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
    bots: BotAccounts,
    live: LivePublisher,
    *,
    consumer: ConsumerIdentity,
) -> None:
    @broker.subscriber(
        topics.ingest_events,
        ack_policy=DURABLE_ACK,
        **consumer.group_options(),
        title="inbox-ingest",
        description="Sends ingest job progress to the Bots pages of the bot's account.",
    )
    async def on_ingest_event(body: Any, message: KafkaMessage) -> None:
        record: Any = message.raw_message
        try:
            event = decode_ingest_event(message.body)
        except (UnsupportedEventError, ValueError) as exc:
            # Retrying cannot fix a body we cannot read; it stays in the log for inspection.
            log.error("ingest_event_unreadable", offset=record.offset, error=str(exc))
            return
        if event is None:
            return  # a type this consumer does not know
        with structlog.contextvars.bound_contextvars(
            bot_id=event.bot_id, job_id=event.job_id, event_id=str(event.event_id)
        ):
            try:
                await forward(event, bots, live)
            except Exception:
                log.exception("ingest_event_handler_failed", offset=record.offset)
                await asyncio.sleep(RETRY_BACKOFF_SECONDS)
                raise
