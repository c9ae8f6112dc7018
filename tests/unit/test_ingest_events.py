"""Ingest job events: the codec's tolerance, the Kafka key, and the events a job's record
produces (deterministic ids, outcome only on success)."""

import json
from pathlib import Path

import pytest

from baton_events.codec import (
    UnsupportedEventError,
    decode_ingest_event,
    encode_event,
    event_key,
)
from baton_events.ingest import IngestJobFinished, IngestJobProgressed, IngestSource
from baton_ingest.job import INTERRUPTED, Job, JobState
from baton_ingest.job_events import job_finished, job_progressed, job_queued, job_started
from baton_ingestion.sources import KnowledgeSource, SourceKind, folder_source
from baton_ingestion.sync import IngestReport


def crawl_job() -> Job:
    return Job("job-1", "bot-1", KnowledgeSource(SourceKind.CRAWL, "https://help.test/docs/"))


def progressed() -> IngestJobProgressed:
    source = IngestSource(source_id="s1", kind="crawl", location="https://help.test/docs/")
    return IngestJobProgressed(
        job_id="j1", bot_id="b1", source=source, done=3, total=None, current="https://x/a"
    )


def test_every_event_of_a_job_round_trips() -> None:
    job = crawl_job()
    for event in (job_queued(job), job_started(job), job_progressed(job), job_finished(job)):
        assert decode_ingest_event(encode_event(event)) == event


def test_records_are_keyed_by_bot_so_a_bots_jobs_keep_their_order() -> None:
    assert event_key(progressed()) == b"b1"


def test_unknown_types_are_skipped_and_newer_minor_fields_dropped() -> None:
    body = json.loads(encode_event(progressed()))
    assert decode_ingest_event({**body, "type": "ingest_job_paused"}) is None
    newer = decode_ingest_event({**body, "version": "1.4", "eta_seconds": 12})
    assert isinstance(newer, IngestJobProgressed)
    assert (newer.version, newer.done, newer.current) == ("1.4", 3, "https://x/a")
    with pytest.raises(UnsupportedEventError):
        decode_ingest_event({**body, "version": "2.0"})
    with pytest.raises(UnsupportedEventError):
        decode_ingest_event({**body, "done": -1})


def test_a_republished_event_is_the_same_event() -> None:
    job = crawl_job()
    job.state, job.report = JobState.SUCCEEDED, IngestReport(pages=2)
    assert job_finished(job).event_id == job_finished(job).event_id
    assert job_queued(job).event_id != job_started(job).event_id
    first = job_progressed(job)
    job.done = 1
    assert job_progressed(job).event_id != first.event_id


def test_the_finished_event_counts_what_changed_without_listing_every_page() -> None:
    job = crawl_job()
    job.state = JobState.SUCCEEDED
    job.report = IngestReport(
        pages=3,
        chunks_written=7,
        chunks_deleted=1,
        unchanged_pages=1,
        errors={"https://help.test/docs/broken": "404"},
        skipped=["https://help.test/docs/private/"],
    )
    finished = job_finished(job)
    assert isinstance(finished, IngestJobFinished) and finished.state == "succeeded"
    assert finished.outcome is not None
    assert finished.outcome.model_dump() == {
        "pages": 3,
        "chunks_written": 7,
        "chunks_deleted": 1,
        "unchanged_pages": 1,
        "page_errors": 1,
        "skipped": 1,
    }


def test_an_interrupted_job_is_announced_failed_without_an_outcome() -> None:
    job = Job("job-2", "bot-1", folder_source(Path("/srv/docs")))
    job.state, job.error, job.interrupted = JobState.FAILED, INTERRUPTED, True
    job.report = IngestReport(pages=5)  # what a cut-off run had reached is not an outcome
    finished = job_finished(job)
    assert (finished.state, finished.interrupted, finished.outcome) == ("failed", True, None)
    assert finished.source.kind == "folder" and finished.source.location == "/srv/docs"
