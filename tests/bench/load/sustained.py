"""sustained_msgs_per_s: offered rates stepped up, each for a fixed time, open loop; the answer
is the highest rate whose answer p99 stays under a second. Stepping stops at the first miss."""

import asyncio
import math
from dataclasses import dataclass

import structlog

from tests.bench.load.addresses import AddressPool
from tests.bench.load.asking import ask
from tests.bench.load.lean_http import HttpError
from tests.bench.load.questions import question
from tests.bench.load.schedule import constant_rate, run_on_schedule
from tests.bench.load.stack import Stack
from tests.bench.load.tally import AnswerTally
from tests.bench.load.widget_client import WidgetVisitor

log = structlog.get_logger()
P99_LIMIT_MS = 1000.0
# The gateway lets one visitor send 30 messages a minute: each thread gets one every 2.5 s.
SECONDS_BETWEEN_A_VISITORS_MESSAGES = 2.5
OPENING_AT_ONCE = 20


@dataclass(frozen=True)
class RatePlan:
    rates_per_s: tuple[float, ...] = (10, 25, 50, 100, 150, 200)
    step_s: float = 25.0
    answer_wait_s: float = 10.0


@dataclass(frozen=True)
class StepResult:
    rate_per_s: float
    p99_ms: float | None
    sent: int
    unanswered: int

    @property
    def held(self) -> bool:
        return self.p99_ms is not None and self.p99_ms < P99_LIMIT_MS and self.unanswered == 0


def sustained_rate(steps: list[StepResult]) -> float:
    """The highest offered rate that held, among the steps up to the first that did not."""
    best = 0.0
    for step in steps:
        if not step.held:
            break
        best = max(best, step.rate_per_s)
    return best


def visitors_for(rate_per_s: float) -> int:
    return math.ceil(rate_per_s * SECONDS_BETWEEN_A_VISITORS_MESSAGES)


async def _grow(pool: list[WidgetVisitor], size: int, stack: Stack, addresses: AddressPool) -> None:
    gate = asyncio.Semaphore(OPENING_AT_ONCE)

    async def one() -> None:
        async with gate:
            visitor = WidgetVisitor.new(stack, addresses.take())
            try:
                await visitor.open()
            except (HttpError, TimeoutError) as exc:
                log.warning("session_refused", address=visitor.source_address, error=repr(exc))
                await visitor.close()
                return
            pool.append(visitor)

    await asyncio.gather(*(one() for _ in range(size - len(pool))))
    if not pool:
        raise RuntimeError("the gateway refused every session")


async def _step(pool: list[WidgetVisitor], rate: float, plan: RatePlan) -> StepResult:
    tally = AnswerTally()

    async def arrival(index: int) -> None:
        visitor = pool[index % len(pool)]
        await ask(visitor, question(index, index // len(pool)), plan.answer_wait_s, tally)

    offsets = constant_rate(rate, plan.step_s)
    await run_on_schedule(offsets, arrival, plan.step_s + plan.answer_wait_s + 5)
    lost = tally.unanswered + tally.refused
    return StepResult(rate, tally.latencies.percentile_ms(99), len(offsets), lost)


async def run_sustained(stack: Stack, addresses: AddressPool, plan: RatePlan) -> list[StepResult]:
    pool: list[WidgetVisitor] = []
    steps: list[StepResult] = []
    try:
        for rate in plan.rates_per_s:
            await _grow(pool, visitors_for(rate), stack, addresses)
            step = await _step(pool, rate, plan)
            log.info(
                "sustained_step",
                rate=rate,
                p99_ms=step.p99_ms,
                sent=step.sent,
                unanswered=step.unanswered,
                visitors=len(pool),
            )
            steps.append(step)
            if not step.held:
                break
    finally:
        await asyncio.gather(*(visitor.close() for visitor in pool))
    return steps
