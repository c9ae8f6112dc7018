"""Retry a dependency check until it passes, so services may start in any order."""

import asyncio
import time
from collections.abc import Awaitable, Callable

import structlog

log = structlog.get_logger()


class DependencyUnavailableError(RuntimeError):
    pass


async def wait_for(
    name: str, check: Callable[[], Awaitable[object]], *, timeout_seconds: float
) -> None:
    deadline = time.monotonic() + timeout_seconds
    delay = 0.2
    while True:
        try:
            await check()
            return
        except Exception as exc:
            if time.monotonic() >= deadline:
                raise DependencyUnavailableError(f"{name} unavailable: {exc!r}") from exc
            log.info("waiting_for_dependency", dependency=name, error=repr(exc))
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
