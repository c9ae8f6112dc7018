"""A running job's progress, written and announced at most every `interval` seconds.

The pipeline reports every page, synchronously; a large crawl reads hundreds of pages a
minute. Writing each to MongoDB and Kafka would cost more than the page, and pollers only
need a couple of updates a second, so the reporter keeps the latest count and flushes it on
its own clock.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from types import TracebackType

from baton_ingest.job import Job
from baton_ingestion.sources import Progress

Flush = Callable[[Job], Awaitable[None]]


class ProgressReporter:
    def __init__(self, job: Job, flush: Flush, interval_seconds: float) -> None:
        self._job = job
        self._flush = flush
        self._interval = interval_seconds
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def __call__(self, progress: Progress) -> None:
        self._job.on_progress(progress)
        self._changed.set()

    async def __aenter__(self) -> "ProgressReporter":
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if exc is None and self._changed.is_set():
            await self._flush(self._job)  # the last count, so the trail ends at done == total

    async def _run(self) -> None:
        while True:
            await self._changed.wait()
            self._changed.clear()
            await self._flush(self._job)
            await asyncio.sleep(self._interval)
