"""How big a run is: the full bench, or `--quick` (a few minutes, for checking the harness)."""

import argparse
from dataclasses import dataclass
from pathlib import Path

from tests.bench.load.concurrent import VisitorPlan
from tests.bench.load.staff_latency import StaffPlan
from tests.bench.load.sustained import RatePlan
from tests.support.isolated import ROOT


@dataclass(frozen=True)
class BenchPlan:
    # The result keys stay c1/c50/c200; a quick run fills them with fewer visitors (each
    # result says how many it had).
    visitors: dict[str, int]
    conversation: VisitorPlan
    # c1 and the large-data point: one visitor, more questions (5 answers make no p99; 25
    # stay under the gateway's 30 messages per thread per minute).
    single_visitor: VisitorPlan
    # Asked first and not recorded: a stack just (re)started answers its first questions
    # from cold caches (the agent's in-memory snapshot of the docs, the JIT of the broker).
    warm_up: VisitorPlan
    rates: RatePlan
    staff: StaffPlan
    kafka_round_trips: int
    seed_target: int | None  # None: no large-data point
    seed_time_limit_s: float
    run_json: Path
    results_dir: Path
    mongo_db: str
    redis_prefix: str


FULL = {"c1": 1, "c50": 50, "c200": 200}
QUICK = {"c1": 1, "c50": 10, "c200": 20}


def parse_plan(argv: list[str] | None = None) -> BenchPlan:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.load",
        description="Load bench against the running stack; writes bench/results/.",
    )
    parser.add_argument("--quick", action="store_true", help="fewer visitors, shorter steps")
    parser.add_argument("--skip-seed", action="store_true", help="no 100k-stored point")
    parser.add_argument(
        "--run-json", type=Path, default=ROOT / ".baton/run.json", help="written by `make up`"
    )
    parser.add_argument(
        "--results-dir", type=Path, default=None, help="bench/results (quick: bench/results/quick)"
    )
    parser.add_argument("--mongo-db", default="baton", help="the stack's database")
    parser.add_argument("--redis-prefix", default="", help="the stack's Redis key prefix")
    args = parser.parse_args(argv)
    quick: bool = args.quick
    # A quick run never replaces the real results: it writes beside them.
    results_dir = args.results_dir or ROOT / ("bench/results/quick" if quick else "bench/results")
    return BenchPlan(
        visitors=QUICK if quick else FULL,
        conversation=VisitorPlan(questions=3 if quick else 5, answer_wait_s=15 if quick else 30),
        single_visitor=VisitorPlan(questions=5 if quick else 25, answer_wait_s=15 if quick else 30),
        warm_up=VisitorPlan(questions=3, answer_wait_s=30),
        rates=RatePlan(rates_per_s=(2, 5), step_s=8) if quick else RatePlan(),
        staff=StaffPlan(threads=3, replies_per_thread=3) if quick else StaffPlan(),
        kafka_round_trips=50 if quick else 300,
        seed_target=None if quick or args.skip_seed else 100_000,
        seed_time_limit_s=20 * 60,
        run_json=args.run_json,
        results_dir=results_dir,
        mongo_db=args.mongo_db,
        redis_prefix=args.redis_prefix,
    )
