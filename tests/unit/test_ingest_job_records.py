"""How a job is stored and how its progress is flushed, without a database."""

import asyncio
from datetime import UTC, datetime

from baton_ingest.adapters.job_store import job_from_doc, report_to_doc
from baton_ingest.job import Job, JobState
from baton_ingest.progress import ProgressReporter
from baton_ingestion.sources import KnowledgeSource, Progress, SourceKind
from baton_ingestion.sync import IngestReport


def test_a_report_with_url_keys_is_stored_without_dotted_keys_and_read_back() -> None:
    report = IngestReport(
        pages=1,
        errors={"https://help.test/a.html": "404", "$odd.md": "empty file"},
        skipped=["https://help.test/private/"],
    )
    stored = report_to_doc(report)
    assert stored is not None
    keys = [key for entry in stored["errors"] for key in entry]
    assert not any("." in key or key.startswith("$") for key in keys)
    doc = {
        "_id": "j1",
        "bot_id": "b1",
        "origin": "sitemap:https://help.test/sitemap.xml",
        "state": "succeeded",
        "progress": {"done": 2, "total": 2, "current": "https://help.test/a.html"},
        "report": stored,
        "created_at": datetime(2026, 1, 2, tzinfo=UTC),
        "finished_at": datetime(2026, 1, 2, 0, 1, tzinfo=UTC),
    }
    job = job_from_doc(doc)
    assert job.report == report
    assert job.source == KnowledgeSource(SourceKind.SITEMAP, "https://help.test/sitemap.xml")
    public = job.public()
    assert public["state"] == "succeeded" and public["progress"]["done"] == 2
    assert public["finished_at"] == "2026-01-02T00:01:00+00:00"


async def test_progress_is_flushed_on_a_clock_and_ends_at_the_last_count() -> None:
    job = Job("j1", "b1", KnowledgeSource(SourceKind.CRAWL, "https://help.test/"))
    flushed: list[int] = []

    async def flush(flushed_job: Job) -> None:
        flushed.append(flushed_job.done)

    async with ProgressReporter(job, flush, interval_seconds=0.2) as report:
        for done in range(1, 101):  # a burst of pages, as a fast folder gives
            report(Progress(done, 100, f"page-{done}"))
            if done % 25 == 0:
                await asyncio.sleep(0)
    assert flushed[-1] == 100
    assert len(flushed) <= 3, flushed  # not one write per page
    assert job.state is JobState.QUEUED  # the reporter never decides the outcome


async def test_a_job_that_fails_midway_gets_no_final_flush() -> None:
    job = Job("j1", "b1", KnowledgeSource(SourceKind.CRAWL, "https://help.test/"))
    flushed: list[int] = []

    async def flush(flushed_job: Job) -> None:
        flushed.append(flushed_job.done)

    try:
        async with ProgressReporter(job, flush, interval_seconds=10) as report:
            report(Progress(1, None, "a"))
            await asyncio.sleep(0.01)
            report(Progress(2, None, "b"))
            raise RuntimeError("site went away")
    except RuntimeError:
        pass
    assert flushed == [1]
