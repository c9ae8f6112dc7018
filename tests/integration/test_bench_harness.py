"""The load bench's instruments against an isolated copy of the services: visitors get the
answers to their own questions, seeding goes through the gateway's store and only tops up,
and the Kafka and store-CPU probes find what they measure."""

import json
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from redis.asyncio import Redis

from baton_gateway.adapters.messages import VisibleMessages
from baton_gateway.domain import public_message
from tests.bench.load.addresses import AddressPool
from tests.bench.load.concurrent import VisitorPlan, run_concurrent
from tests.bench.load.kafka_rtt import kafka_round_trips
from tests.bench.load.seed import (
    MESSAGES_PER_THREAD,
    seed_messages,
    seed_thread_id,
    stored_messages,
)
from tests.bench.load.stack import Stack
from tests.bench.load.staff_latency import StaffPlan, measure_staff
from tests.bench.load.store_cpu import StoreProcesses
from tests.integration.conftest import DEMO_ORIGIN, STAFF_PASSWORD, Seeded
from tests.support.infra import infra

# The first test also starts the isolated services and ingests the demo help center.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]


def _stack(seeded: Seeded) -> Stack:
    return Stack(
        gateway_url=seeded.gateway,
        inbox_url=seeded.inbox,
        widget_origin=DEMO_ORIGIN,
        bot_key=seeded.bot_key,
        bot_id=seeded.bot_id,
        account_id=seeded.account_id,
        staff_email=seeded.staff_email,
        staff_password=STAFF_PASSWORD,
        mail_dir=Path("/nonexistent"),  # no teammate is invited here
    )


async def test_concurrent_visitors_each_get_the_answer_to_their_question(seeded: Seeded) -> None:
    plan = VisitorPlan(questions=2, think_s=0.2, answer_wait_s=20, start_spread_s=0.2)
    tally = await run_concurrent(_stack(seeded), AddressPool(), 3, plan)
    assert (tally.answered, tally.unanswered) == (6, 0)
    assert tally.latencies.count == 6


async def test_a_teammates_replies_are_timed_to_the_visitor_and_to_the_inbox_stream(
    seeded: Seeded, tmp_path: Path
) -> None:
    # The watching teammate is the owner in a second session here: inviting one needs the
    # stack's mail sink, which an isolated copy does not run.
    cache = tmp_path / "teammate.json"
    cache.write_text(
        json.dumps(
            {"inbox_url": seeded.inbox, "email": seeded.staff_email, "password": STAFF_PASSWORD}
        )
    )
    plan = StaffPlan(threads=2, replies_per_thread=2, pause_s=0.2, spread_s=0.2)
    latencies = await measure_staff(_stack(seeded), AddressPool(), plan, cache)
    assert latencies.missed == 0
    assert (latencies.to_visitor.count, latencies.to_staff.count) == (4, 4)


async def test_seeding_writes_through_the_gateway_store_and_only_tops_up(seeded: Seeded) -> None:
    servers, system = infra(), seeded.system
    db_name, redis_prefix = system.mongo_db, f"{system.name}:"
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(servers.mongo_url, tz_aware=True)
    redis = Redis.from_url(servers.redis_url, decode_responses=True)
    try:
        target = await stored_messages(mongo, db_name) + 2 * MESSAGES_PER_THREAD
        seed = (_stack(seeded), servers.mongo_url, db_name, servers.redis_url, redis_prefix)
        assert await seed_messages(*seed, target, time_limit_s=60) >= target
        topped = await stored_messages(mongo, db_name)
        assert await seed_messages(*seed, target, time_limit_s=60) == topped
        store = VisibleMessages(mongo, db_name, redis, redis_prefix)
        thread = await store.since(seed_thread_id(0), -1)
        assert [public_message(doc)["author"] for doc in thread[:2]] == ["visitor", "ai"]
        assert len(thread) == MESSAGES_PER_THREAD
    finally:
        await redis.aclose()
        await mongo.close()


async def test_kafka_round_trips_and_store_cpu_are_measured() -> None:
    assert (await kafka_round_trips(infra().kafka_bootstrap, 5)).count == 5
    store = StoreProcesses.find(infra().mongo_url)
    assert store.server is not None
    assert store.cpu_seconds() > 0
