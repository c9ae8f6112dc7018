"""`python -m tests.bench.scale [--burst N] [--model-delay-s S]`: the scale-out proof on this
machine (`make bench-scale`). Starts a Baton of its own on the local servers `make up` runs,
with an I/O-bound answerer (a fake chat model with a fixed delay); writes
bench/results/scale-latest.json and prints it. Exit 1 when the faults lost or duplicated a
message or the AI talked after a teammate, or when more replicas did not answer faster."""

import argparse
import asyncio
import itertools
import json
import sys
from datetime import UTC, datetime

from tests.bench.load.addresses import AddressPool
from tests.bench.scale.cluster import ScaleCluster
from tests.bench.scale.run import Round, ScalePlan, fault_round, throughput_round, write
from tests.support.fake_model import FakeModel, serve_model
from tests.support.isolated import ROOT

# A generative answer must cite a passage, or the answerer falls back to the extractive one.
MODEL_REPLY = "Open Settings and follow the steps on the page [1]."


async def run(plan: ScalePlan) -> dict[str, object]:
    model = serve_model(FakeModel(reply=MODEL_REPLY, delay_seconds=plan.model_delay_s))
    model_url = f"http://127.0.0.1:{model.server_address[1]}/v1"
    cluster = await asyncio.to_thread(ScaleCluster.start, model_url, plan.per_replica_batch)
    pool = AddressPool()
    try:
        rounds: list[Round] = [
            await throughput_round(cluster, replicas, plan, pool) for replicas in plan.replicas
        ]
        faults = await fault_round(cluster, plan, pool)
    finally:
        await asyncio.to_thread(cluster.discard)
        model.shutdown()
    written = write(rounds, faults, plan, ROOT / "bench/results", datetime.now(UTC))
    document: dict[str, object] = json.loads(written.read_text())
    return document


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.scale")
    parser.add_argument("--burst", type=int, default=ScalePlan.burst)
    parser.add_argument("--model-delay-s", type=float, default=ScalePlan.model_delay_s)
    args = parser.parse_args()
    plan = ScalePlan(burst=args.burst, model_delay_s=args.model_delay_s)
    document = asyncio.run(run(plan))
    sys.stdout.write(json.dumps(document, indent=2) + "\n")
    rounds = document["rounds"]
    faults = document["faults"]
    assert isinstance(rounds, list) and isinstance(faults, dict)
    rates = [r["answers_per_s"] for r in rounds]
    grows = all(later > earlier for earlier, later in itertools.pairwise(rates))
    counts = faults["counts"]
    clean = counts["accepted"] > 0 and all(
        counts[k] == 0 for k in ("lost", "duplicated", "ai_after_teammate")
    )
    sys.exit(0 if grows and clean and all(r["answered"] == r["asked"] for r in rounds) else 1)


if __name__ == "__main__":
    main()
