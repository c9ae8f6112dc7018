"""The Grafana dashboard (deploy/k8s/monitoring) queries only metrics the services export."""

import json
import re

from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from prometheus_client import CollectorRegistry

from baton_runtime.metrics import METRICS_PREFIX
from tests.support.k8s import K8S

METRIC = re.compile(rf"\b({METRICS_PREFIX}_[a-z_]+)")


def exported_names() -> set[str]:
    registry = CollectorRegistry()
    KafkaPrometheusMiddleware(registry=registry, app_name="test", metrics_prefix=METRICS_PREFIX)
    names = set(registry._names_to_collectors)
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
