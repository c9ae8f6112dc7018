"""Open-loop arrivals: work starts at scheduled instants whether or not earlier work finished,
so a slow system meets the same offered load instead of slowing the generator down."""

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any


def spread_starts(count: int, over_seconds: float) -> list[float]:
    """Offsets (s) of `count` evenly spread starts over `over_seconds`, the first at 0."""
    if count <= 0:
        return []
    step = over_seconds / count
    return [index * step for index in range(count)]


def constant_rate(rate_per_s: float, duration_s: float) -> list[float]:
    """Offsets (s) of arrivals at a fixed rate during `duration_s`, the first at 0."""
    if rate_per_s <= 0 or duration_s <= 0:
        return []
    count = int(rate_per_s * duration_s)
    return [index / rate_per_s for index in range(count)]


async def run_on_schedule(
    offsets: list[float], start: Callable[[int], Coroutine[Any, Any, None]], deadline_s: float
) -> int:
    """Starts `start(i)` at each offset without waiting for earlier ones, then waits for all of
    them up to `deadline_s` after the first start; returns how many were still running then
    (they are cancelled)."""
    began = time.perf_counter()
    tasks: list[asyncio.Task[None]] = []
    for index, offset in enumerate(offsets):
        delay = began + offset - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(start(index)))
    if not tasks:
        return 0
    remaining = max(0.0, deadline_s - (time.perf_counter() - began))
    _, pending = await asyncio.wait(tasks, timeout=remaining)
    for task in pending:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for task in tasks:
        error = None if task.cancelled() else task.exception()
        if error is not None:
            raise error
    return len(pending)
