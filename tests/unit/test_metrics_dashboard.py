"""The Grafana dashboard (deploy/k8s/monitoring) queries only metrics the services export."""

import json
import re

from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_client.metrics import MetricWrapperBase

import baton_agent.metrics
import baton_gateway.metrics
import baton_handoff.metrics
import baton_inbox.metrics
import baton_ingest.metrics
import baton_runtime.metrics
from baton_runtime.metrics import METRICS_PREFIX
from tests.support.k8s import K8S

METRIC = re.compile(rf"\b({METRICS_PREFIX}_[a-z_]+)")


DOMAIN_METRICS = (
    baton_agent.metrics,
    baton_gateway.metrics,
    baton_handoff.metrics,
    baton_inbox.metrics,
    baton_ingest.metrics,
    baton_runtime.metrics,
)


def exported_names() -> set[str]:
    registry = CollectorRegistry()
    KafkaPrometheusMiddleware(registry=registry, app_name="test", metrics_prefix=METRICS_PREFIX)
    names = set(registry._names_to_collectors)
    for module in DOMAIN_METRICS:  # each service's own, registered when it is imported
        for value in vars(module).values():
            if isinstance(value, MetricWrapperBase):
                names |= set(REGISTRY._collector_to_names[value])
    return names | {f"{name}_bucket" for name in names}


def test_the_dashboard_queries_exported_metrics() -> None:
    dashboard = json.loads((K8S / "monitoring" / "grafana-dashboard.json").read_text())
    queried = {
        name
        for panel in dashboard["panels"]
        for target in panel["targets"]
        for name in METRIC.findall(target["expr"])
    }
    assert queried and queried <= exported_names(), queried - exported_names()
