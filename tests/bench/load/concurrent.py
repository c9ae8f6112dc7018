"""cN: N visitors at once, started over about a second; each asks, waits for the answer to
that question on its stream, thinks, and asks again."""

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import structlog

from tests.bench.load.addresses import AddressPool
from tests.bench.load.asking import ask
from tests.bench.load.lean_http import HttpError
from tests.bench.load.questions import question
from tests.bench.load.schedule import run_on_schedule, spread_starts
from tests.bench.load.stack import Stack
from tests.bench.load.tally import AnswerTally
from tests.bench.load.widget_client import WidgetVisitor

log = structlog.get_logger()


@dataclass(frozen=True)
class VisitorPlan:
    questions: int = 5
    think_s: float = 1.0
    answer_wait_s: float = 30.0
    start_spread_s: float = 1.0


async def converse(
    stack: Stack, address: str, visitor_index: int, plan: VisitorPlan, tally: AnswerTally
) -> None:
    visitor = WidgetVisitor.new(stack, address)
    try:
        try:
            await visitor.open()
        except (HttpError, TimeoutError) as exc:
            log.warning("session_refused", address=address, error=repr(exc))
            for _ in range(plan.questions):
                tally.refusal(plan.answer_wait_s * 1000)
            return
        for turn in range(plan.questions):
            await ask(visitor, question(visitor_index, turn), plan.answer_wait_s, tally)
            if turn < plan.questions - 1:
                await asyncio.sleep(plan.think_s)
    finally:
        await visitor.close()


async def run_concurrent(
    stack: Stack,
    addresses: AddressPool,
    visitors: int,
    plan: VisitorPlan,
    alongside: Callable[[], Coroutine[Any, Any, None]] | None = None,
) -> AnswerTally:
    """Runs N visitors; `alongside` (e.g. teammates replying in other threads) runs at the
    same time and is awaited too."""
    tally = AnswerTally()
    own_addresses = [addresses.take() for _ in range(visitors)]

    async def start(index: int) -> None:
        await converse(stack, own_addresses[index], index, plan, tally)

    # Bounded: every question waits at most answer_wait_s, plus the think times and slack.
    per_visitor_s = plan.questions * (plan.answer_wait_s + plan.think_s) + 30
    side: asyncio.Task[None] | None = None
    if alongside is not None:
        side = asyncio.create_task(alongside())
    offsets = spread_starts(visitors, plan.start_spread_s)
    cut = await run_on_schedule(offsets, start, plan.start_spread_s + per_visitor_s)
    if side is not None:
        await side
    log.info("concurrent_done", cut_short=cut, **tally.summary(visitors))
    return tally
