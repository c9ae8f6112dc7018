"""/metrics on every service, in Prometheus' text format, and the Kafka handling metrics
behind it: faststream's middleware times every handled record per topic and handler and counts
outcomes (acked, nacked, rejected). One process-wide registry: each service is one process."""

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from aiokafka import ConsumerRecord, TopicPartition
from fastapi import APIRouter, Response
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Gauge, generate_latest

METRICS_PREFIX = "baton"

CONSUMER_LAG = Gauge(
    "baton_consumer_lag_records",
    "Records of a partition not yet handled by this consumer group, after its last batch.",
    ["group", "topic", "partition"],
)


@runtime_checkable
class HighWater(Protocol):
    def highwater(self, partition: TopicPartition) -> int | None: ...


def record_lag(group: str, consumer: object, records: Sequence[ConsumerRecord[Any, Any]]) -> None:
    """After a batch is handled: the partition's end (as of the last fetch) minus the next
    offset to handle. Read off the fetch response aiokafka already holds: no broker call.
    `consumer` is aiokafka's; faststream types it as a protocol without `highwater`."""
    if not isinstance(consumer, HighWater):
        return
    next_offsets: dict[TopicPartition, int] = {}
    for record in records:
        partition = TopicPartition(record.topic, record.partition)
        next_offsets[partition] = max(next_offsets.get(partition, 0), record.offset + 1)
    for partition, next_offset in next_offsets.items():
        end = consumer.highwater(partition)
        if end is not None:
            CONSUMER_LAG.labels(group, partition.topic, str(partition.partition)).set(
                max(0, end - next_offset)
            )


def metrics_router() -> APIRouter:
    """Left out of the OpenAPI documents: it is for the scraper, not for API clients."""
    router = APIRouter(tags=["metrics"])

    @router.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    return router


def kafka_metrics(app_name: str) -> KafkaPrometheusMiddleware:
    """Metrics already registered are reused, so several brokers in one process (tests) share
    them."""
    return KafkaPrometheusMiddleware(
        registry=REGISTRY, app_name=app_name, metrics_prefix=METRICS_PREFIX
    )
