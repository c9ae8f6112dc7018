"""`python -m tests.bench.load [--quick] [--skip-seed]`: one bench run (see __init__)."""

import asyncio
import json
import sys
from datetime import UTC, datetime

import structlog

from tests.bench.load.plan import parse_plan
from tests.bench.load.run import run_bench

log = structlog.get_logger()


def main() -> None:
    plan = parse_plan(sys.argv[1:])
    written = asyncio.run(run_bench(plan, datetime.now(UTC)))
    log.info("bench_written", results=str(written))
    # The result on stdout as one JSON line, like the single-visitor benches.
    sys.stdout.write(json.dumps(json.loads(written.read_text())) + "\n")


if __name__ == "__main__":
    main()
