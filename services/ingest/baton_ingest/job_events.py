"""The events a job's life announces on ingest.events, built from the job record.

Ids derive from the job (and, for progress, from the count reached), so a republished event
(the finished event retried after a crash) is the same event, which consumers drop.
"""

from baton_events.envelope import stable_event_id
from baton_events.ingest import (
    IngestJobFinished,
    IngestJobProgressed,
    IngestJobQueued,
    IngestJobStarted,
    IngestOutcome,
    IngestSource,
)
from baton_ingest.job import Job, JobState


def _source(job: Job) -> IngestSource:
    return IngestSource(
        source_id=job.source.source_id, kind=job.source.kind.value, location=job.source.location
    )


def job_queued(job: Job) -> IngestJobQueued:
    return IngestJobQueued(
        event_id=stable_event_id("ingest_job_queued", job.job_id),
        job_id=job.job_id,
        bot_id=job.bot_id,
        source=_source(job),
        occurred_at=job.created_at,
    )


def job_started(job: Job) -> IngestJobStarted:
    return IngestJobStarted(
        event_id=stable_event_id("ingest_job_started", job.job_id),
        job_id=job.job_id,
        bot_id=job.bot_id,
        source=_source(job),
    )


def job_progressed(job: Job) -> IngestJobProgressed:
    return IngestJobProgressed(
        event_id=stable_event_id("ingest_job_progressed", job.job_id, job.done, job.total),
        job_id=job.job_id,
        bot_id=job.bot_id,
        source=_source(job),
        done=job.done,
        total=job.total,
        current=job.current,
    )


def job_finished(job: Job) -> IngestJobFinished:
    report = job.report
    outcome = (
        IngestOutcome(
            pages=report.pages,
            chunks_written=report.chunks_written,
            chunks_deleted=report.chunks_deleted,
            unchanged_pages=report.unchanged_pages,
            page_errors=len(report.errors),
            skipped=len(report.skipped),
        )
        if report is not None and job.state is JobState.SUCCEEDED
        else None
    )
    return IngestJobFinished(
        event_id=stable_event_id("ingest_job_finished", job.job_id),
        job_id=job.job_id,
        bot_id=job.bot_id,
        source=_source(job),
        state="succeeded" if job.state is JobState.SUCCEEDED else "failed",
        interrupted=job.interrupted,
        error=job.error,
        outcome=outcome,
        **({"occurred_at": job.finished_at} if job.finished_at else {}),
    )
