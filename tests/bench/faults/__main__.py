"""`python -m tests.bench.faults [--visitors N] [--recovery-s S]`: one fault run against
the stack `make up` started; writes bench/results/faults-latest.json and prints the counts.
It restarts the stack's servers: run it on a stack nobody else is using."""

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime

from tests.bench.faults.run import FaultPlan, run_faults
from tests.bench.load.stack import Stack
from tests.support.isolated import ROOT


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.faults")
    parser.add_argument("--visitors", type=int, default=FaultPlan.visitors)
    parser.add_argument("--recovery-s", type=float, default=FaultPlan.recovery_s)
    args = parser.parse_args()
    plan = FaultPlan(visitors=args.visitors, recovery_s=args.recovery_s)
    stack = Stack.from_run_json(ROOT / ".baton/run.json")
    written = asyncio.run(run_faults(stack, plan, ROOT / "bench/results", datetime.now(UTC)))
    document = json.loads(written.read_text())
    sys.stdout.write(json.dumps(document["counts"]) + "\n")
    counts = document["counts"]
    # A run that carried no traffic proves nothing.
    clean = counts["accepted"] > 0 and all(
        counts[k] == 0 for k in ("lost", "duplicated", "ai_after_teammate", "errors_once_settled")
    )
    sys.exit(0 if clean else 1)


if __name__ == "__main__":
    main()
