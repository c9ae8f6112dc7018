"""Ingest jobs: one knowledge source read into a bot in the background, with its progress.

Jobs run in the replica that accepted them, one at a time by default (embedding takes the
CPU). Their record lives in MongoDB, so any replica answers for any job, and a job whose
replica stopped or died is reported failed (interrupted), never left "running". Every step is
announced on ingest.events. The effect of a job is durable in Chroma: running an interrupted
job again rewrites nothing that is already there.
"""

import asyncio
import shutil
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

import structlog

from baton_events.ingest import IngestEventEnvelope
from baton_ingest.adapters.job_store import JobStore
from baton_ingest.job import INTERRUPTED, Job, JobState, utc_now
from baton_ingest.job_events import job_finished, job_progressed, job_queued, job_started
from baton_ingest.metrics import CHUNKS_WRITTEN, JOBS_FINISHED, JOBS_RUNNING
from baton_ingest.progress import ProgressReporter
from baton_ingestion.pipeline import WebOptions
from baton_ingestion.sources import KnowledgeSource
from baton_ingestion.sync import IngestReport, ProgressCallback

log = structlog.get_logger()

IngestFn = Callable[[Job, ProgressCallback], Awaitable[IngestReport]]
PROGRESS_INTERVAL_SECONDS = 0.5
KEPT_FOR = timedelta(days=30)  # finished jobs older than this are forgotten
PRUNE_EVERY = timedelta(hours=1)
LISTED_JOBS = 100


class JobConflict(Exception):
    """The same source of the same bot is being ingested already."""


class EventPublisher(Protocol):
    async def publish(self, event: IngestEventEnvelope) -> None: ...


class JobRunner:
    """Starts jobs, runs them, keeps their records and beats for them while they are active."""

    def __init__(
        self,
        store: JobStore,
        events: EventPublisher,
        ingest: IngestFn,
        *,
        runner_id: str,
        parallel: int = 1,
        stale_seconds: float = 30.0,
    ) -> None:
        self._store = store
        self._events = events
        self._ingest = ingest
        self._runner_id = runner_id
        self._slots = asyncio.Semaphore(parallel)
        self._stale = timedelta(seconds=stale_seconds)
        self._beat_seconds = max(0.5, stale_seconds / 3)
        self._active: dict[str, Job] = {}  # jobs this replica runs (or has not saved yet)
        self._unsaved: dict[str, Job] = {}  # finished jobs whose record a store error kept stale
        self._tasks: set[asyncio.Task[None]] = set()
        self._maintenance: asyncio.Task[None] | None = None
        self._pruned_at: datetime | None = None

    async def open(self) -> None:
        """Before serving: end the jobs a previous life of this replica left active (they
        cannot be running any more), then beat and sweep in the background."""
        for job_id in await self._store.silent_jobs(
            runner_id=self._runner_id, beat_before=utc_now()
        ):
            await self._interrupt(job_id, beat_before=utc_now())
        self._maintenance = asyncio.create_task(self._maintain())

    async def close(self) -> None:
        """Cancel running jobs: each records itself interrupted before it ends."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._maintenance is not None:
            self._maintenance.cancel()
            await asyncio.gather(self._maintenance, return_exceptions=True)

    async def start(
        self,
        bot_id: str,
        source: KnowledgeSource,
        *,
        base_url: str = "",
        options: WebOptions | None = None,
        scratch: Path | None = None,
    ) -> Job:
        job = Job(uuid.uuid4().hex, bot_id, source, base_url, options or WebOptions())
        job.scratch = scratch
        try:
            # The record first: a replica that meets the lock checks that its job is active.
            await self._store.insert(job, self._runner_id)
            if not await self._store.lock_source(job, self._runner_id):
                await self._store.delete(job.job_id)
                raise JobConflict(source.origin)
        except BaseException:
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)
            raise
        self._active[job.job_id] = job
        await self._announce(job_queued(job))
        task = asyncio.create_task(self._run(job))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job

    async def get(self, job_id: str) -> Job | None:
        return await self._store.get(job_id)

    async def of_bot(self, bot_id: str) -> list[Job]:
        """The bot's latest jobs, newest first."""
        return await self._store.of_bot(bot_id, LISTED_JOBS)

    async def busy_with(self, bot_id: str, source_id: str) -> bool:
        return await self._store.source_locked(bot_id, source_id)

    async def bot_busy(self, bot_id: str) -> bool:
        """One of the bot's jobs is queued or running, on this replica or another."""
        return await self._store.bot_busy(bot_id)

    async def forget_bot(self, bot_id: str) -> int:
        """Delete the records of the bot's ended jobs; how many."""
        return await self._store.forget_bot(bot_id)

    async def _run(self, job: Job) -> None:
        bound = log.bind(job_id=job.job_id, bot_id=job.bot_id, origin=job.source.origin)
        try:
            async with self._slots:
                job.state, job.started_at = JobState.RUNNING, utc_now()
                JOBS_RUNNING.inc()
                await self._store.save_started(job)
                await self._announce(job_started(job))
                bound.info("ingest_job_started")
                reporter = ProgressReporter(job, self._flush_progress, PROGRESS_INTERVAL_SECONDS)
                async with reporter:
                    job.report = await self._ingest(job, reporter)
            job.state = JobState.SUCCEEDED
            CHUNKS_WRITTEN.inc(job.report.chunks_written)
            bound.info(
                "ingest_job_finished",
                pages=job.report.pages,
                written=job.report.chunks_written,
                deleted=job.report.chunks_deleted,
                errors=len(job.report.errors),
            )
        except asyncio.CancelledError:
            job.state, job.error, job.interrupted = JobState.FAILED, INTERRUPTED, True
            bound.warning("ingest_job_interrupted")
            raise
        except Exception as exc:
            # Recorded for whoever polls the job and announced; nothing else waits on it.
            job.state, job.error = JobState.FAILED, f"{type(exc).__name__}: {exc}"
            bound.warning("ingest_job_failed", error=job.error)
        finally:
            job.finished_at = utc_now()
            if job.started_at is not None:
                JOBS_RUNNING.dec()
            JOBS_FINISHED.labels(job.state.value).inc()
            if job.scratch is not None:
                shutil.rmtree(job.scratch, ignore_errors=True)
            await self._finish(job)

    async def _finish(self, job: Job) -> None:
        """Record the end, free the source, announce it. A store error leaves the job with
        this replica, which retries the write on its next beat (and keeps beating for it)."""
        try:
            await self._store.save_finished(job)
        except Exception:
            log.exception("ingest_job_save_failed", job_id=job.job_id)
            self._unsaved[job.job_id] = job
            return
        self._unsaved.pop(job.job_id, None)
        self._active.pop(job.job_id, None)
        await self._store.unlock_source(job)
        if await self._announce(job_finished(job)):
            await self._store.mark_announced(job.job_id)

    async def _flush_progress(self, job: Job) -> None:
        try:
            await self._store.save_progress(job)
        except Exception:
            # Progress is a hint; the finished record carries the final count.
            log.warning("ingest_progress_save_failed", job_id=job.job_id, exc_info=True)
        await self._announce(job_progressed(job))

    async def _announce(self, event: IngestEventEnvelope) -> bool:
        """Publish; False if Kafka refused. The job record stays the truth: an unannounced
        finished job is announced again by the next sweep (same event id)."""
        try:
            await self._events.publish(event)
        except Exception:
            log.warning("ingest_event_publish_failed", job_id=event.job_id, exc_info=True)
            return False
        return True

    async def _interrupt(self, job_id: str, *, beat_before: datetime) -> None:
        job = await self._store.interrupt(job_id, beat_before=beat_before)
        if job is None:
            return  # it finished, or its replica beat again, in between
        log.warning("ingest_job_interrupted", job_id=job_id, bot_id=job.bot_id)
        await self._store.unlock_source(job)
        if await self._announce(job_finished(job)):
            await self._store.mark_announced(job.job_id)

    async def _maintain(self) -> None:
        while True:
            try:
                await self._maintain_once()
            except Exception:
                # A store outage must not end the beat: the next round tries again.
                log.exception("ingest_job_maintenance_failed")
            await asyncio.sleep(self._beat_seconds)

    async def _maintain_once(self) -> None:
        for job in list(self._unsaved.values()):
            await self._finish(job)
        await self._store.heartbeat(list(self._active))
        silent_since = utc_now() - self._stale
        for job_id in await self._store.silent_jobs(runner_id=None, beat_before=silent_since):
            await self._interrupt(job_id, beat_before=silent_since)
        for job in await self._store.unannounced(finished_before=silent_since):
            if await self._announce(job_finished(job)):
                await self._store.mark_announced(job.job_id)
        if self._pruned_at is None or utc_now() - self._pruned_at > PRUNE_EVERY:
            await self._store.forget_finished(finished_before=utc_now() - KEPT_FOR)
            self._pruned_at = utc_now()
