"""/metrics on every service, in Prometheus' text format, and the Kafka handling metrics
behind it: faststream's middleware times every handled record per topic and handler and counts
outcomes (acked, nacked, rejected). One process-wide registry: each service is one process."""

from fastapi import APIRouter, Response
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

METRICS_PREFIX = "baton"


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
