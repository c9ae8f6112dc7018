"""One fault run: visitors converse at a human pace; a quarter of the threads are taken over
by a teammate after their second answer; the faults come one after another, each followed by
a recovery window; then everyone waits for the stack to catch up, and the audit runs."""

import asyncio
import json
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import structlog

from baton_events import Topics
from tests.bench.faults.audit import (
    SETTLE_S,
    FaultCounts,
    ThreadSeen,
    audit,
    errors_once_settled,
)
from tests.bench.faults.supervisor import FAULTS, apply
from tests.bench.faults.visitor import EnduringVisitor
from tests.bench.load import inbox_client
from tests.bench.load.addresses import AddressPool
from tests.bench.load.questions import question
from tests.bench.load.stack import Stack
from tests.bench.load.widget_client import expected_reply_id
from tests.support.log_reader import read_topic, wait_until_consumed

log = structlog.get_logger()
GROUPS = ["gateway", "agent", "handoff", "inbox"]


@dataclass(frozen=True)
class FaultPlan:
    visitors: int = 20
    warm_up_s: float = 10.0
    recovery_s: float = 20.0  # after each fault, before the next
    think_s: float = 1.0
    answer_wait_s: float = 45.0  # per question: an outage can hold an answer this long
    send_deadline_s: float = 60.0
    drain_s: float = 120.0  # after the last fault: every group consumes the log to its end
    takeover_every: int = 4  # every 4th thread gets a teammate's reply
    newcomers_per_fault: int = 2  # new visitors who arrive once each fault has settled


async def converse(
    visitor: EnduringVisitor,
    index: int,
    plan: FaultPlan,
    stop: asyncio.Event,
    take_over: Any,
) -> None:
    turn, taken_over = 0, False
    while not stop.is_set():
        message_id = await visitor.send(question(index, turn), plan.send_deadline_s)
        if message_id is not None:
            # A teammate's thread gets no AI reply: the visitor waits as long as it thinks.
            wait_s = plan.think_s if taken_over else plan.answer_wait_s
            await visitor.wait_for(expected_reply_id(message_id), wait_s)
        turn += 1
        if turn == 2 and index % plan.takeover_every == 0:
            await take_over(visitor.thread_id)
            taken_over = True
        await asyncio.sleep(plan.think_s)


async def _teammate_token(client: httpx.AsyncClient, stack: Stack) -> str:
    token = await inbox_client.log_in(client, stack, stack.staff_email, stack.staff_password)
    if token is None:
        raise RuntimeError("the demo owner cannot sign in to the inbox")
    return token


async def run_faults(stack: Stack, plan: FaultPlan, results_dir: Path, now: datetime) -> Path:
    addresses = AddressPool()
    visitors = [EnduringVisitor.new(stack, addresses.take()) for _ in range(plan.visitors)]
    stop = asyncio.Event()
    async with httpx.AsyncClient(timeout=10.0) as staff_client:
        staff_token = await _teammate_token(staff_client, stack)

        async def take_over(thread_id: str) -> None:
            deadline = time.monotonic() + plan.send_deadline_s
            while time.monotonic() < deadline:
                try:
                    await inbox_client.reply(
                        staff_client, stack, staff_token, thread_id, "A teammate here."
                    )
                    return
                except httpx.HTTPError:
                    await asyncio.sleep(1.0)
            log.warning("takeover_refused", thread_id=thread_id)

        opened = await asyncio.gather(*(v.open(plan.send_deadline_s) for v in visitors))
        talking = [
            asyncio.create_task(converse(v, i, plan, stop, take_over))
            for i, (v, ok) in enumerate(zip(visitors, opened, strict=True))
            if ok
        ]
        await asyncio.sleep(plan.warm_up_s)
        applied: list[dict[str, Any]] = []
        for fault in FAULTS:
            started = time.monotonic()
            await apply(fault)
            log.info("fault_applied", fault=fault.name)
            applied.append({"fault": fault.name, "at_s": started})
            await asyncio.sleep(SETTLE_S + 1.0)
            # Newcomers after each fault: a new session takes paths the talking visitors'
            # do not (a restarted Redis's dead pooled connections answered them 500).
            for _ in range(plan.newcomers_per_fault):
                newcomer = EnduringVisitor.new(stack, addresses.take())
                visitors.append(newcomer)
                if await newcomer.open(plan.send_deadline_s):
                    talking.append(
                        asyncio.create_task(
                            converse(newcomer, len(visitors) - 1, plan, stop, take_over)
                        )
                    )
            await asyncio.sleep(max(0.0, plan.recovery_s - (time.monotonic() - started)))
        stop.set()
        await asyncio.gather(*talking)
    topic = Topics(prefix="").conversation_events
    await wait_until_consumed(topic, GROUPS, within_seconds=plan.drain_s)
    await asyncio.sleep(3.0)  # the last commits' live signals reach the streams
    seen = {
        v.thread_id: ThreadSeen(accepted=list(v.sent), frames=list(v.frames), refused=v.refused)
        for v in visitors
        if v.thread_id
    }
    for visitor in visitors:
        await visitor.close()
    events = await read_topic(topic, read_seconds=120.0)
    counts = audit(seen, {t: events.get(t, []) for t in seen})
    counts.errors_once_settled = errors_once_settled(
        [at for v in visitors for at in v.server_errors], [f["at_s"] for f in applied]
    )
    return _write(counts, [f["fault"] for f in applied], plan, results_dir, now)


def _write(
    counts: FaultCounts, faults: list[str], plan: FaultPlan, results_dir: Path, now: datetime
) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    document = {
        "faults": faults,
        "visitors": plan.visitors,
        "recovery_s": plan.recovery_s,
        "counts": counts.summary(),
        "lost_ids": counts.lost_ids,
        "repeated_frames": counts.repeats,
        "goal": "0 lost, 0 duplicated, 0 ai_after_teammate, 0 errors_once_settled; every "
        "accepted message answered, escalated or held for a teammate",
    }
    stamp = now.strftime("%Y-%m-%dT%H%MZ")
    written = results_dir / f"faults-{stamp}.json"
    text = json.dumps(document, indent=2) + "\n"
    written.write_text(text)
    (results_dir / "faults-latest.json").write_text(text)
    return written
