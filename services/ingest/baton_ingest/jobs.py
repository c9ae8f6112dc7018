"""Ingest jobs: one knowledge source read into a bot in the background, with its progress.

Jobs run in this process, one at a time by default (embedding takes the CPU), and are kept in
memory: their effect is durable in Chroma, and re-running a lost job rewrites nothing that is
already there.
"""

import asyncio
import shutil
import uuid
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import structlog

from baton_ingest.pipeline import WebOptions, ingest_source
from baton_ingest.sources import KnowledgeSource, Progress
from baton_ingest.sync import IngestReport
from baton_retrieval.embedder import Embedder
from baton_retrieval.store import KnowledgeStore

log = structlog.get_logger()
KEPT_JOBS = 1000


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class JobConflict(Exception):
    """The same source of the same bot is being ingested already."""


def _now() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class Job:
    job_id: str
    bot_id: str
    source: KnowledgeSource
    base_url: str
    options: WebOptions
    state: JobState = JobState.QUEUED
    done: int = 0
    total: int | None = None
    current: str = ""
    report: IngestReport | None = None
    error: str | None = None
    created_at: str = field(default_factory=_now)
    finished_at: str | None = None
    # Uploaded files live in a temporary folder until the job ends.
    scratch: Path | None = None

    @property
    def active(self) -> bool:
        return self.state in (JobState.QUEUED, JobState.RUNNING)

    def public(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "bot_id": self.bot_id,
            "source": {
                "source_id": self.source.source_id,
                "kind": self.source.kind.value,
                "location": self.source.location,
            },
            "state": self.state.value,
            "progress": {"done": self.done, "total": self.total, "current": self.current},
            "report": asdict(self.report) if self.report else None,
            "error": self.error,
            "created_at": self.created_at,
            "finished_at": self.finished_at,
        }

    def on_progress(self, progress: Progress) -> None:
        self.done, self.total, self.current = progress.done, progress.total, progress.source


class JobRunner:
    def __init__(self, store: KnowledgeStore, embedder: Embedder, *, parallel: int = 1) -> None:
        self._store = store
        self._embedder = embedder
        self._slots = asyncio.Semaphore(parallel)
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._tasks: set[asyncio.Task[None]] = set()

    def start(
        self,
        bot_id: str,
        source: KnowledgeSource,
        *,
        base_url: str = "",
        options: WebOptions | None = None,
        scratch: Path | None = None,
    ) -> Job:
        if any(
            job.active and job.bot_id == bot_id and job.source == source
            for job in self._jobs.values()
        ):
            raise JobConflict(source.origin)
        job = Job(uuid.uuid4().hex, bot_id, source, base_url, options or WebOptions())
        job.scratch = scratch
        self._jobs[job.job_id] = job
        while len(self._jobs) > KEPT_JOBS:
            oldest = next(iter(self._jobs.values()))
            if oldest.active:
                break
            self._jobs.popitem(last=False)
        task = asyncio.create_task(self._run(job))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def of_bot(self, bot_id: str) -> list[Job]:
        return [job for job in self._jobs.values() if job.bot_id == bot_id]

    def busy_with(self, bot_id: str, source_id: str) -> bool:
        return any(
            job.active and job.bot_id == bot_id and job.source.source_id == source_id
            for job in self._jobs.values()
        )

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _run(self, job: Job) -> None:
        bound = log.bind(job_id=job.job_id, bot_id=job.bot_id, origin=job.source.origin)
        try:
            async with self._slots:
                job.state = JobState.RUNNING
                bound.info("ingest_job_started")
                job.report = await ingest_source(
                    self._store,
                    self._embedder,
                    job.bot_id,
                    job.source,
                    base_url=job.base_url,
                    options=job.options,
                    on_progress=job.on_progress,
                    upload_folder=job.scratch,
                )
            job.state = JobState.SUCCEEDED
            bound.info(
                "ingest_job_finished",
                pages=job.report.pages,
                written=job.report.chunks_written,
                deleted=job.report.chunks_deleted,
                errors=len(job.report.errors),
            )
        except asyncio.CancelledError:
            job.state, job.error = JobState.FAILED, "cancelled: the ingest service stopped"
            raise
        except Exception as exc:
            # The job records its failure for whoever polls it; nothing else waits on it.
            job.state, job.error = JobState.FAILED, f"{type(exc).__name__}: {exc}"
            bound.warning("ingest_job_failed", error=job.error)
        finally:
            job.finished_at = _now()
            if job.scratch is not None:
                shutil.rmtree(job.scratch, ignore_errors=True)
