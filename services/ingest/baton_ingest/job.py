"""An ingest job: one knowledge source read into a bot, its state, progress and report."""

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from baton_ingestion.pipeline import WebOptions
from baton_ingestion.sources import KnowledgeSource, Progress
from baton_ingestion.sync import IngestReport


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)
INTERRUPTED = "interrupted: the ingest service stopped before the job finished; start it again"


def utc_now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@dataclass
class Job:
    job_id: str
    bot_id: str
    source: KnowledgeSource
    base_url: str = ""
    options: WebOptions = field(default_factory=WebOptions)
    state: JobState = JobState.QUEUED
    done: int = 0
    total: int | None = None
    current: str = ""
    report: IngestReport | None = None
    error: str | None = None
    interrupted: bool = False
    created_at: datetime = field(default_factory=utc_now)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    # Uploaded files live in a temporary folder of the replica that took the upload until the
    # job ends; never persisted (no other replica could read it).
    scratch: Path | None = None

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    def on_progress(self, progress: Progress) -> None:
        self.done, self.total, self.current = progress.done, progress.total, progress.source

    def public(self) -> dict[str, Any]:
        """The job as the HTTP API shows it."""
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
            "interrupted": self.interrupted,
            "created_at": _iso(self.created_at),
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
        }
