"""Every service answers /metrics in Prometheus' text format, and after one visitor question
the Kafka handling counters of the services on the conversation path have moved."""

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.conftest import DEMO_ORIGIN, Seeded
from tests.support.inbox_harness import running_replica
from tests.support.ingest_api import start_ingest
from tests.support.waiting import eventually
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration

SERVICES = ("gateway", "inbox", "agent", "handoff", "ingest")
# Each consumes conversation.events (the agent its visitor messages).
CONSUMERS = ("gateway", "inbox", "agent", "handoff")


def scrape(seeded: Seeded, service: str) -> dict[str, float]:
    """Sample name -> value, summed over labels and over the service's replicas: a second inbox
    replica in the same consumer group may own the new thread's partition."""
    urls = [seeded.system.url(service)]
    if service == "inbox" and (replica := running_replica()) is not None:
        urls.append(replica.system.url("inbox"))
    totals: dict[str, float] = {}
    for url in urls:
        response = httpx.get(f"{url}/metrics", timeout=10)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        for family in text_string_to_metric_families(response.text):
            for sample in family.samples:
                totals[sample.name] = totals.get(sample.name, 0.0) + sample.value
    return totals


def test_every_service_serves_metrics_and_the_handling_counters_move(seeded: Seeded) -> None:
    if "ingest" not in seeded.system.processes:
        start_ingest(seeded.system)
    before = {service: scrape(seeded, service) for service in SERVICES}
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key, name="Ada")
    stream = visitor.stream()
    try:
        visitor.send("How do I import my contacts?")
        stream.wait_for(lambda m: m["author"] == "ai", timeout=20)
    finally:
        stream.close()
    handled = "baton_received_processed_messages_total"

    def scrape_all() -> dict[str, dict[str, float]]:
        return {service: scrape(seeded, service) for service in SERVICES}

    # The visitor saw the answer; the inbox may fold the same events a moment later.
    after = eventually(
        scrape_all,
        lambda now: all(
            now[service].get(handled, 0) > before[service].get(handled, 0) for service in CONSUMERS
        ),
        within=20,
        poll=0.5,
    )

    for service in SERVICES:
        assert after[service].get("process_cpu_seconds_total", 0) > 0, service
    for service in CONSUMERS:
        assert after[service].get(handled, 0) > before[service].get(handled, 0), service
    duration = "baton_received_processed_messages_duration_seconds_count"
    assert after["handoff"][duration] > before["handoff"].get(duration, 0)
