"""Benchmark: CPU time per answer of each process of the stack, under visitors at a human pace.

Runs N visitors at once (default 50; 5 questions each, 1 s think time, each from its own
loopback address) against the stack of `make up`, and reads every process's CPU time
(utime + stime, with reaped children, from /proc) before and after. Prints one JSON line:
latency p50/p95/p99 and milliseconds of CPU per answer per process.

    .venv/bin/python -m tests.bench.cpu_per_answer [VISITORS]
"""

import asyncio
import json
import os
import random
import sys
from pathlib import Path

from tests.bench.load.addresses import AddressPool
from tests.bench.load.concurrent import VisitorPlan, run_concurrent
from tests.bench.load.stack import Stack
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


async def measure(visitors: int) -> dict[str, object]:
    stack = Stack.from_run_json(ROOT / ".baton/run.json")
    addresses = AddressPool(first=random.randrange(300_000))
    before = cpu_by_process()
    tally = await run_concurrent(stack, addresses, visitors, VisitorPlan(questions=5))
    after = cpu_by_process()
    answered = max(tally.answered, 1)
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
    }


def main() -> None:
    visitors = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    sys.stdout.write(json.dumps(asyncio.run(measure(visitors))) + "\n")


if __name__ == "__main__":
    main()
