"""The scale-out rounds. Throughput: for 1, 2, 3 agent replicas, a burst of visitors each asks
one question at once, and answers per second is answered questions over the time from the
first send to the last answer. Faults: at the largest replica count visitors converse (a
quarter taken over by a teammate) while one replica gets SIGTERM and another SIGKILL; then the
fault bench's audit: nothing lost or duplicated, no AI message after a teammate's."""

import asyncio
import json
import signal
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import structlog

from tests.bench.faults.audit import ThreadSeen, audit
from tests.bench.faults.run import FaultPlan, converse
from tests.bench.faults.visitor import EnduringVisitor
from tests.bench.load import inbox_client
from tests.bench.load.addresses import AddressPool
from tests.bench.load.questions import question
from tests.bench.load.widget_client import expected_reply_id
from tests.bench.scale.cluster import ScaleCluster
from tests.support.log_reader import read_topic, wait_until_consumed

log = structlog.get_logger()
GROUPS = ("gateway", "agent", "handoff", "inbox")


@dataclass(frozen=True)
class ScalePlan:
    replicas: tuple[int, ...] = (1, 2, 3)
    burst: int = 96  # visitors asking at once in each throughput round
    model_delay_s: float = 1.0
    # Each replica has up to twice this many questions in flight. Small, so that one replica's
    # concurrency, not the machine's two cores, bounds a round: what is measured is scale-out.
    per_replica_batch: int = 2
    partitions: int = 6
    fault_visitors: int = 24
    fault_run_s: float = 60.0


@dataclass(frozen=True)
class Round:
    replicas: int
    assignment: dict[str, list[int]]
    asked: int
    answered: int
    elapsed_s: float

    @property
    def answers_per_s(self) -> float:
        return self.answered / self.elapsed_s if self.elapsed_s else 0.0


async def _open_all(cluster: ScaleCluster, count: int, pool: AddressPool) -> list[EnduringVisitor]:
    assert cluster.stack is not None
    visitors = [EnduringVisitor.new(cluster.stack, pool.take()) for _ in range(count)]
    opened = await asyncio.gather(*(v.open(60.0) for v in visitors))
    if not all(opened):
        raise RuntimeError(f"{opened.count(False)} visitors could not open a session")
    await asyncio.sleep(2.0)  # their streams are subscribed before anyone asks
    return visitors


async def throughput_round(
    cluster: ScaleCluster, replicas: int, plan: ScalePlan, pool: AddressPool
) -> Round:
    await asyncio.to_thread(cluster.scale_agents, replicas)
    assignment = await cluster.wait_spread(replicas, plan.partitions)
    visitors = await _open_all(cluster, plan.burst, pool)
    started = time.monotonic()
    sent = await asyncio.gather(*(v.send(question(i, 0), 30.0) for i, v in enumerate(visitors)))
    waits = [
        v.wait_for(expected_reply_id(m), 120.0)
        for v, m in zip(visitors, sent, strict=True)
        if m is not None
    ]
    arrived = await asyncio.gather(*waits)
    elapsed = time.monotonic() - started
    for visitor in visitors:
        await visitor.close()
    result = Round(replicas, assignment, len(waits), sum(arrived), elapsed)
    log.info("scale_round", replicas=replicas, answers_per_s=round(result.answers_per_s, 2))
    return result


async def fault_round(cluster: ScaleCluster, plan: ScalePlan, pool: AddressPool) -> dict[str, Any]:
    """SIGTERM one replica a third of the way in, SIGKILL another at two thirds."""
    assert cluster.stack is not None
    stack = cluster.stack
    replicas = max(plan.replicas)
    await asyncio.to_thread(cluster.scale_agents, replicas)
    await cluster.wait_spread(replicas, plan.partitions)
    fault_plan = FaultPlan(visitors=plan.fault_visitors, answer_wait_s=60.0)
    visitors = await _open_all(cluster, plan.fault_visitors, pool)
    stop = asyncio.Event()
    async with httpx.AsyncClient(timeout=10.0) as staff:
        token = await inbox_client.log_in(staff, stack, stack.staff_email, stack.staff_password)
        assert token is not None, "the bench's teammate cannot sign in"

        async def take_over(thread_id: str) -> None:
            await inbox_client.reply(staff, stack, token, thread_id, "A teammate here.")

        talking = [
            asyncio.create_task(converse(v, i, fault_plan, stop, take_over))
            for i, v in enumerate(visitors)
        ]
        await asyncio.sleep(plan.fault_run_s / 3)
        await asyncio.to_thread(cluster.stop_agent, 0, signal.SIGTERM)
        log.info("scale_fault", fault="SIGTERM agent replica")
        await asyncio.sleep(plan.fault_run_s / 3)
        await asyncio.to_thread(cluster.stop_agent, 0, signal.SIGKILL)
        log.info("scale_fault", fault="SIGKILL agent replica")
        await asyncio.sleep(plan.fault_run_s / 3)
        stop.set()
        await asyncio.gather(*talking)
    groups = [cluster.group(service) for service in GROUPS]
    await wait_until_consumed(cluster.topic, groups, within_seconds=180.0)
    await asyncio.sleep(3.0)  # the last commits' live signals reach the streams
    seen = {
        v.thread_id: ThreadSeen(accepted=list(v.sent), frames=list(v.frames), refused=v.refused)
        for v in visitors
    }
    for visitor in visitors:
        await visitor.close()
    events = await read_topic(cluster.topic, read_seconds=120.0)
    counts = audit(seen, {thread: events.get(thread, []) for thread in seen})
    return {
        "replicas_at_start": replicas,
        "faults": ["SIGTERM agent replica", "SIGKILL agent replica"],
        "counts": counts.summary(),
        "lost_ids": counts.lost_ids,
    }


def write(
    rounds: list[Round], faults: dict[str, Any], plan: ScalePlan, out: Path, now: datetime
) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    document = {
        "plan": asdict(plan),
        "rounds": [
            {
                "agent_replicas": r.replicas,
                "partitions_per_member": sorted(r.assignment.values()),
                "asked": r.asked,
                "answered": r.answered,
                "elapsed_s": round(r.elapsed_s, 2),
                "answers_per_s": round(r.answers_per_s, 2),
            }
            for r in rounds
        ],
        "faults": faults,
    }
    text = json.dumps(document, indent=2) + "\n"
    written = out / f"scale-{now.strftime('%Y-%m-%dT%H%MZ')}.json"
    written.write_text(text)
    (out / "scale-latest.json").write_text(text)
    return written
