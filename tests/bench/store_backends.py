"""Benchmark: Baton's real query mix against one MongoDB-protocol store, as the store grows.

    .venv/bin/python -m tests.bench.store_backends --mongo-url mongodb://127.0.0.1:27118/ \
        [--sizes 1000,10000,50000] [--samples 200] [--budget-seconds 5] [--json out.json]

Seeds a throwaway database with threads of 10 messages each, shaped and indexed as the
services write them (tests/bench/store_workload.py), up to each size in turn, and after each
prints p50/p99 (ms) of every query kind (tests/bench/store_queries.py) and the store's own
`explain` of the hot read (FerretDB: whether the filter reached the backend, and its plan).
Run it once per backend (FerretDB on SQLite, on PostgreSQL, MongoDB) and compare.
"""

import argparse
import asyncio
import json
import os
import statistics
import time
import uuid
from typing import Any

from pymongo import AsyncMongoClient

from tests.bench.store_queries import KINDS
from tests.bench.store_workload import Workload, create_indexes, seed_until


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 2)


async def measure(workload: Workload, samples: int, budget_seconds: float) -> dict[str, Any]:
    """Per query kind: up to `samples` runs, or fewer when they take `budget_seconds`."""
    results: dict[str, Any] = {}
    for name, kind in KINDS.items():
        await kind.run(workload)  # warm-up: connection, FerretDB's metadata cache, PG's plan
        timings: list[float] = []
        deadline = time.monotonic() + budget_seconds
        while len(timings) < samples and (len(timings) < 3 or time.monotonic() < deadline):
            start = time.perf_counter()
            await kind.run(workload)
            timings.append((time.perf_counter() - start) * 1000)
        results[name] = {
            "p50_ms": round(statistics.median(timings), 2),
            "p99_ms": percentile(timings, 0.99),
            "runs": len(timings),
            "hot": kind.hot,
        }
    return results


async def explain_hot_read(workload: Workload) -> dict[str, Any]:
    thread = workload.some_thread()
    reply = await workload.db.command(
        "explain",
        {
            "find": "gateway_messages",
            "filter": {"thread_id": thread.thread_id, "position": {"$gt": thread.positions[-2]}},
            "sort": {"position": 1},
        },
        verbosity="queryPlanner",
    )
    keys = ("filterPushdown", "sortPushdown", "queryPlanner")
    return {key: reply[key] for key in keys if key in reply}


def print_table(stored: int, seed_seconds: float, results: dict[str, Any]) -> None:
    print(f"\n{stored} stored messages (seeded in {seed_seconds:.0f} s)")
    print(f"  {'query kind':32} {'p50 ms':>9} {'p99 ms':>9} {'runs':>5}")
    for name, row in results.items():
        mark = " *" if row["hot"] else ""
        print(f"  {name + mark:32} {row['p50_ms']:9.2f} {row['p99_ms']:9.2f} {row['runs']:5}")


async def run(args: argparse.Namespace) -> dict[str, Any]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(args.mongo_url)
    db_name = f"bench-store-{uuid.uuid4().hex[:8]}"
    report: dict[str, Any] = {"mongo_url": args.mongo_url, "sizes": {}}
    try:
        info = await client.server_info()
        report["server"] = {k: info.get(k) for k in ("version", "ferretdbVersion")}
        workload = Workload(client[db_name])
        await create_indexes(workload.db)
        for size in args.sizes:
            start = time.monotonic()
            await seed_until(workload, size)
            seed_seconds = time.monotonic() - start
            results = await measure(workload, args.samples, args.budget_seconds)
            print_table(workload.stored_messages, seed_seconds, results)
            # A shared machine's load moves every figure; keep it next to them.
            load = [round(v, 1) for v in os.getloadavg()]
            print(f"  load average (1, 5, 15 min): {load}")
            explain = await explain_hot_read(workload)
            print("  explain gateway.messages_since:", json.dumps(explain, default=str))
            report["sizes"][str(size)] = {
                "seed_seconds": round(seed_seconds, 1),
                "load_average": load,
                "queries": results,
                "explain_messages_since": explain,
            }
    finally:
        if not args.keep:
            await client.drop_database(db_name)
        await client.close()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mongo-url", required=True)
    parser.add_argument(
        "--sizes", default="1000,10000", type=lambda s: [int(n) for n in s.split(",")]
    )
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--budget-seconds", type=float, default=5.0)
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--keep", action="store_true", help="keep the seeded database")
    args = parser.parse_args()
    report = asyncio.run(run(args))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(report, out, indent=2, default=str)


if __name__ == "__main__":
    main()
