"""Kafka wiring: a durable producer/consumer broker, topic creation, event publishing."""

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker

from baton_events import Topics, encode_event, event_key
from baton_events.codec import AnyEnvelope
from baton_runtime.kafka_security import broker_security, client_options
from baton_runtime.metrics import kafka_metrics
from baton_runtime.settings import CommonSettings
from baton_runtime.waiting import wait_for

# Acknowledge after the handler returns; on an exception seek back so the record comes again.
# faststream's default acknowledges on receipt, before processing: at most once.
DURABLE_ACK = AckPolicy.NACK_ON_ERROR


class GroupOptions(TypedDict):
    group_id: str
    group_instance_id: str | None
    session_timeout_ms: int
    heartbeat_interval_ms: int
    auto_offset_reset: Literal["earliest"]


@dataclass(frozen=True)
class ConsumerIdentity:
    """Who consumes: the group (prefixed like the topics, so isolated copies never share a
    group) and, with an instance id, a static member id."""

    group_id: str
    group_instance_id: str | None
    session_timeout_ms: int
    batch_max_records: int = 100
    batch_wait_ms: int = 500

    @property
    def heartbeat_interval_ms(self) -> int:
        return max(1000, self.session_timeout_ms // 5)

    def group_options(self) -> "GroupOptions":
        """A subscriber's options in this group; a new group starts from the oldest record
        kept. Subscribers also pass `ack_policy=DURABLE_ACK` (commit after the effect)."""
        return GroupOptions(
            group_id=self.group_id,
            group_instance_id=self.group_instance_id,
            session_timeout_ms=self.session_timeout_ms,
            heartbeat_interval_ms=self.heartbeat_interval_ms,
            auto_offset_reset="earliest",
        )


def consumer_identity(settings: CommonSettings, service: str) -> ConsumerIdentity:
    group = f"{settings.topic_prefix}{service}"
    instance = f"{group}-{settings.instance_id}" if settings.instance_id else None
    return ConsumerIdentity(
        group,
        instance,
        settings.kafka_session_timeout_ms,
        batch_max_records=settings.consumer_batch_max_records,
        batch_wait_ms=settings.consumer_batch_wait_ms,
    )


def build_broker(settings: CommonSettings, client_id: str) -> KafkaBroker:
    return KafkaBroker(
        settings.kafka_bootstrap,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        graceful_timeout=10.0,
        security=broker_security(settings),
        middlewares=[kafka_metrics(client_id)],
        # faststream logs every processed message at INFO; our handlers log what matters.
        logger=_quiet_logger(),
    )


def subscribed_broker(
    settings: CommonSettings,
    service: str,
    register: Callable[[KafkaBroker, Topics, ConsumerIdentity], None],
) -> KafkaBroker:
    """A service's broker with its subscribers registered by `register`, in the service's
    consumer group. Nothing connects until the broker starts, so the same broker documents
    the subscribers (AsyncAPI) and runs in memory under faststream's TestKafkaBroker."""
    broker = build_broker(settings, client_id=f"baton-{service}")
    register(broker, topics_for(settings), consumer_identity(settings, service))
    return broker


def _quiet_logger() -> logging.Logger:
    logger = logging.getLogger("baton.faststream")
    logger.setLevel(logging.WARNING)
    return logger


def topics_for(settings: CommonSettings) -> Topics:
    return Topics(prefix=settings.topic_prefix, generation=settings.conversation_topic_generation)


async def ensure_topics(settings: CommonSettings) -> None:
    """Create the topics with the partition count Baton needs (auto-creation would give one)."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap, **client_options(settings)
    )

    async def start() -> None:
        await admin.start()

    await wait_for("kafka", start, timeout_seconds=settings.dependency_timeout_seconds)
    try:
        existing = set(await admin.list_topics())
        topics = topics_for(settings)
        wanted = [
            NewTopic(
                name,
                num_partitions=settings.conversation_partitions,
                replication_factor=settings.kafka_replication_factor,
                topic_configs=_topic_configs(settings),
            )
            for name in topics.all()
            if name not in existing
        ]
        if wanted:
            # another service may have created them first
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(wanted)
    finally:
        await admin.close()


def _topic_configs(settings: CommonSettings) -> dict[str, str]:
    if settings.kafka_min_insync_replicas is None:
        return {}
    return {"min.insync.replicas": str(settings.kafka_min_insync_replicas)}


async def publish_event(broker: KafkaBroker, topic: str, event: AnyEnvelope) -> None:
    """Publish and wait for the broker's acknowledgement (acks=all). The key comes from the
    event's family (`event_key`): a thread, or a bot."""
    await broker.publish(
        encode_event(event),
        topic=topic,
        key=event_key(event),
        headers={"content-type": "application/json", "event-type": _event_type(event)},
    )


def _event_type(event: AnyEnvelope) -> str:
    value: Any = getattr(event, "type", "unknown")
    return str(value)
