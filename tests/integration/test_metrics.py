"""Every service answers /metrics in Prometheus' text format; after one visitor question the
Kafka handling counters of the services on the conversation path have moved, and after an
answer, an escalation and a teammate's reply the domain counters have too."""

import httpx
import pytest

from tests.integration.conftest import DEMO_ORIGIN, Seeded
from tests.integration.test_inbox_live import open_stream, snapshot, wait_detail
from tests.support.inbox_harness import bearer, running_replica
from tests.support.ingest_api import start_ingest
from tests.support.metrics import labelled, sample_totals
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
        for name, value in sample_totals(exposition(url)).items():
            totals[name] = totals.get(name, 0.0) + value
    return totals


def exposition(url: str) -> str:
    response = httpx.get(f"{url}/metrics", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


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


def moved(before: dict[str, float], after: dict[str, float], name: str) -> float:
    return after.get(name, 0.0) - before.get(name, 0.0)


def test_domain_counters_move_with_answers_escalations_and_takeovers(seeded: Seeded) -> None:
    services = ("gateway", "agent", "handoff", "inbox")
    before = {service: scrape(seeded, service) for service in services}
    staff_stream = open_stream(
        seeded.inbox, seeded.staff_token, snapshot(seeded.inbox, seeded.staff_token)["cursor"]
    )
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key, name="Metric")
    widget_stream = visitor.stream()
    try:
        visitor.send("How do I import my contacts?")
        first = widget_stream.wait_for(lambda m: m["author"] == "ai", timeout=20)
        visitor.send("I want to talk to a real person please")
        widget_stream.wait_for(lambda m: m["author"] == "ai" and m["id"] != first["id"], timeout=20)
        while_open = {service: scrape(seeded, service) for service in ("gateway", "inbox")}
        assert while_open["gateway"]["baton_widget_streams_open"] >= 1
        assert while_open["inbox"]["baton_inbox_streams_open"] >= 1

        wait_detail(seeded.inbox, seeded.staff_token, visitor.thread_id, lambda t: t["messages"])
        reply = httpx.post(
            f"{seeded.inbox}/v1/threads/{visitor.thread_id}/messages",
            json={"text": "Hi, a teammate here."},
            headers=bearer(seeded.staff_token),
        )
        assert reply.status_code == 202, reply.text
        widget_stream.wait_for(lambda m: m["author"] == "staff", timeout=20)
    finally:
        widget_stream.close()
        staff_stream.close()

    after = eventually(
        lambda: {service: scrape(seeded, service) for service in services},
        lambda now: (
            moved(before["handoff"], now["handoff"], "baton_handoff_mode_changes_total") >= 1
        ),
        within=20,
        poll=0.5,
    )
    agent, handoff, gateway = after["agent"], after["handoff"], after["gateway"]
    assert moved(before["agent"], agent, "baton_agent_replies_proposed_total") >= 2
    assert moved(before["agent"], agent, "baton_agent_escalations_total") >= 1
    assert moved(before["agent"], agent, "baton_agent_compose_seconds_count") >= 2
    assert moved(before["handoff"], handoff, "baton_handoff_ai_proposals_total") >= 2
    assert moved(before["gateway"], gateway, "baton_visitor_messages_accepted_total") >= 2
    # the invariant's own alarm: no AI message after the teammate's
    assert moved(before["gateway"], gateway, "baton_ai_after_teammate_total") == 0

    escalations = labelled(exposition(seeded.system.url("agent")), "baton_agent_escalations_total")
    assert any(labels["reason"] == "asked_for_human" for labels, _ in escalations)
    changes = labelled(exposition(seeded.system.url("handoff")), "baton_handoff_mode_changes_total")
    assert any(labels["mode"] == "human" for labels, value in changes if value > 0)
    for service in ("gateway", "agent", "handoff"):
        lag = labelled(exposition(seeded.system.url(service)), "baton_consumer_lag_records")
        assert lag, f"{service} reports no consumer lag"
        assert all(value >= 0 for _, value in lag)
        assert {"group", "topic", "partition"} <= set(lag[0][0])
