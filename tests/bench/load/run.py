"""One bench run, in order: the Kafka baseline, a warm-up (not recorded), c1 / c50 (with
teammates) / c200 with the store's CPU time around them, the sustained-rate steps, then the
large-data point."""

from datetime import datetime
from pathlib import Path
from typing import Any

import structlog
from pymongo import AsyncMongoClient

from tests.bench.load.addresses import AddressPool, require_loopback
from tests.bench.load.chart import draw_chart
from tests.bench.load.concurrent import run_concurrent
from tests.bench.load.kafka_rtt import kafka_round_trips
from tests.bench.load.machine import machine
from tests.bench.load.plan import BenchPlan
from tests.bench.load.results import Measured, result_document, write_results
from tests.bench.load.seed import seed_messages, stored_messages
from tests.bench.load.stack import Stack
from tests.bench.load.staff_latency import StaffLatencies, measure_staff
from tests.bench.load.store_cpu import StoreProcesses
from tests.bench.load.sustained import run_sustained, sustained_rate
from tests.support.infra import infra
from tests.support.isolated import ROOT

log = structlog.get_logger()
TEAMMATE_CACHE = ROOT / ".baton/bench-teammate.json"


async def _stored(plan: BenchPlan) -> int:
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra().mongo_url, tz_aware=True)
    try:
        return await stored_messages(mongo, plan.mongo_db)
    finally:
        await mongo.close()


async def run_bench(plan: BenchPlan, now: datetime) -> Path:
    stack = Stack.from_run_json(plan.run_json)
    servers = infra()
    for server in (f"kafka://{servers.kafka_bootstrap}", servers.mongo_url, servers.redis_url):
        require_loopback(server)
    addresses = AddressPool()
    await run_concurrent(stack, addresses, 3, plan.warm_up)
    rtt = await kafka_round_trips(servers.kafka_bootstrap, plan.kafka_round_trips)
    stored = await _stored(plan)
    store = StoreProcesses.find(servers.mongo_url)
    cpu_before = store.cpu_seconds()
    scenarios: dict[str, dict[str, Any]] = {}
    staff = StaffLatencies()
    answers = 0

    async def teammates() -> None:
        nonlocal staff
        staff = await measure_staff(stack, addresses, plan.staff, TEAMMATE_CACHE)

    for name, visitors in plan.visitors.items():
        conversation = plan.single_visitor if visitors == 1 else plan.conversation
        tally = await run_concurrent(
            stack, addresses, visitors, conversation, teammates if name == "c50" else None
        )
        scenarios[name] = tally.summary(visitors)
        answers += tally.answered
    store_cpu_s = store.cpu_seconds() - cpu_before
    steps = await run_sustained(stack, addresses, plan.rates)
    at_100k = None
    if plan.seed_target is not None:
        seeded = await seed_messages(
            stack,
            servers.mongo_url,
            plan.mongo_db,
            servers.redis_url,
            plan.redis_prefix,
            plan.seed_target,
            plan.seed_time_limit_s,
        )
        log.info("seeded", stored_messages=seeded)
        large = await run_concurrent(stack, addresses, 1, plan.single_visitor)
        at_100k = large.latencies.percentile_ms(50)
    document = result_document(
        Measured(
            answer_latency_ms=scenarios,
            sustained_msgs_per_s=sustained_rate(steps),
            staff_to_visitor_ms=staff.to_visitor.summary(50, 99),
            staff_to_staff_ms=staff.to_staff.summary(50, 99),
            kafka_rtt_ms=rtt.summary(50, 99),
            stored_messages=stored,
            answer_p50_ms_at_100k_stored=at_100k,
            store_cpu_s=store_cpu_s,
            answers=answers,
            machine=machine(),
        )
    )
    written = write_results(document, plan.results_dir, now)
    draw_chart(document, plan.results_dir / "latest.png")
    return written
