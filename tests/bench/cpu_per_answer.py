"""Benchmark: CPU time per answer of each process of the stack, under visitors at a human pace.

Runs N visitors at once (default 50; 5 questions each, 1 s think time, each from its own
loopback address) against the stack of `make up`, and reads every process's CPU time
(utime + stime, with reaped children, from /proc) before and after. Prints one JSON line:
latency p50/p95/p99, milliseconds of CPU per answer per process, and document-store calls
per answer by command (the server's `serverStatus` command counters, which FerretDB and
MongoDB both keep): unlike CPU time on a shared machine, the calls count the same run after
run, so a change that saves a store call shows in one run; Redis commands per answer
likewise (its commandstats). Also the CPU this process (the
simulated visitors) used per answer: it shares the stack's cores here, as browsers would not.

    .venv/bin/python -m tests.bench.cpu_per_answer [VISITORS]
"""

import asyncio
import json
import os
import random
import resource
import sys
from pathlib import Path
from typing import Any

from pymongo import AsyncMongoClient
from redis.asyncio import Redis

from tests.bench.load.addresses import AddressPool
from tests.bench.load.concurrent import VisitorPlan, run_concurrent
from tests.bench.load.stack import Stack
from tests.support.infra import infra
from tests.support.isolated import ROOT

TICKS_PER_S = os.sysconf("SC_CLK_TCK")
# Command-line marks of the stack's processes, most specific first.
PROCESSES = {
    "baton_agent": "agent",
    "baton_gateway.demo_site": "demo site",
    "baton_gateway": "gateway",
    "baton_handoff": "handoff",
    "baton_inbox.mail": "mail sink",
    "baton_inbox": "inbox",
    "baton_ingest": "ingest",
    "chroma run": "chroma",
    "baton-ferretdb": "ferretdb",
    "kafka.Kafka": "kafka",
    "redis-server": "redis",
    "postgres": "postgres",
}


def _process_name(command: str) -> str | None:
    return next((name for mark, name in PROCESSES.items() if mark in command), None)


def cpu_by_process() -> dict[str, float]:
    """CPU seconds so far of each named process (postgres: all its processes together)."""
    seconds: dict[str, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        name = _process_name(command)
        if name is None:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        ticks = sum(int(field) for field in fields[11:15])  # utime stime cutime cstime
        seconds[name] = seconds.get(name, 0.0) + ticks / TICKS_PER_S
    return seconds


def own_cpu_seconds() -> float:
    """CPU seconds so far of this benchmark's own process: the simulated visitors."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# Commands of the services' work; the handshakes and this benchmark's own serverStatus are not.
STORE_WORK = (
    "find",
    "insert",
    "update",
    "delete",
    "findAndModify",
    "aggregate",
    "getMore",
    "count",
)


async def store_commands(mongo: AsyncMongoClient[dict[str, Any]]) -> dict[str, int]:
    """How many of each command the document store has served since it started."""
    status = await mongo.admin.command("serverStatus")
    commands = status.get("metrics", {}).get("commands", {})
    return {name: int(commands.get(name, {}).get("total", 0)) for name in STORE_WORK}


def calls_per_answer(
    before: dict[str, int], after: dict[str, int], answered: int
) -> dict[str, float]:
    calls = {name: (after[name] - before.get(name, 0)) / answered for name in after}
    return {name: round(count, 2) for name, count in calls.items() if count > 0}


async def redis_commands(redis: Redis) -> dict[str, int]:
    """How many of each command Redis has served since it started (its commandstats; a
    script's own commands are counted under their names as well as the EVAL/EVALSHA)."""
    stats = await redis.info("commandstats")
    return {
        name.removeprefix("cmdstat_"): int(value["calls"])
        for name, value in stats.items()
        if isinstance(value, dict) and name != "cmdstat_info"
    }


async def measure(visitors: int) -> dict[str, object]:
    stack = Stack.from_run_json(ROOT / ".baton/run.json")
    addresses = AddressPool(first=random.randrange(300_000))
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra().mongo_url)
    redis = Redis.from_url(infra().redis_url)
    try:
        commands_before = await store_commands(mongo)
        redis_before = await redis_commands(redis)
        before = cpu_by_process()
        client_before = own_cpu_seconds()
        tally = await run_concurrent(stack, addresses, visitors, VisitorPlan(questions=5))
        client_after = own_cpu_seconds()
        after = cpu_by_process()
        commands_after = await store_commands(mongo)
        redis_after = await redis_commands(redis)
    finally:
        await mongo.close()
        await redis.aclose()
    answered = max(tally.answered, 1)
    store_calls = calls_per_answer(commands_before, commands_after, answered)
    redis_calls = calls_per_answer(redis_before, redis_after, answered)
    per_answer = {
        name: round((after[name] - before.get(name, 0.0)) / answered * 1000, 1)
        for name in after
        if after[name] - before.get(name, 0.0) > 0.005
    }
    summary = tally.summary(visitors)
    return {
        "benchmark": "cpu_ms_per_answer",
        "visitors": visitors,
        "answers": tally.answered,
        "latency_ms": {key: summary[key] for key in ("p50", "p95", "p99", "later_than_10s")},
        "cpu_ms_per_answer": dict(sorted(per_answer.items(), key=lambda item: -item[1])),
        "cpu_ms_per_answer_total": round(sum(per_answer.values()), 1),
        # Not the stack's: the visitors' browsers, which share these cores only in a bench.
        "bench_client_cpu_ms_per_answer": round(
            (client_after - client_before) / answered * 1000, 1
        ),
        "store_calls_per_answer": store_calls,
        "store_calls_per_answer_total": round(sum(store_calls.values()), 2),
        "redis_calls_per_answer": dict(sorted(redis_calls.items(), key=lambda item: -item[1])),
    }


def main() -> None:
    visitors = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    sys.stdout.write(json.dumps(asyncio.run(measure(visitors))) + "\n")


if __name__ == "__main__":
    main()
