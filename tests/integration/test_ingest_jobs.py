"""Ingest jobs as events and durable records: what a job announces on ingest.events, and that
its status outlives the process that ran it and reads the same from any replica."""

import asyncio
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from baton_events.ingest import (
    IngestJobFinished,
    IngestJobProgressed,
    IngestJobQueued,
    IngestJobStarted,
)
from tests.support.ingest_api import ACTIVE_JOB_STATES, service_client, start_ingest
from tests.support.isolated import IsolatedSystem
from tests.support.log_reader import read_ingest_topic
from tests.support.site import Site, serve_site, write_slow_site

pytestmark = pytest.mark.integration

STALE_SECONDS = 5


@pytest.fixture(scope="module")
def system() -> Iterator[IsolatedSystem]:
    isolated = IsolatedSystem(
        overrides={
            "BATON_INGEST_JOB_STALE_SECONDS": str(STALE_SECONDS),
            "BATON_INGEST_ALLOW_PRIVATE_URLS": "true",  # the tests' sites are on 127.0.0.1
        }
    )
    try:
        start_ingest(isolated)
        yield isolated
    finally:
        isolated.discard()


@pytest.fixture
def ingest(system: IsolatedSystem) -> Iterator[httpx.Client]:
    with service_client(system) as client:
        yield client


@pytest.fixture
def replica(system: IsolatedSystem) -> Iterator[IsolatedSystem]:
    """A second ingest process on the same database and topics (another replica)."""
    other = IsolatedSystem(name=system.name, overrides=dict(system.overrides))
    other.log_dir = system.log_dir / "replica"
    other.log_dir.mkdir(exist_ok=True)
    try:
        start_ingest(other)
        yield other
    finally:
        other.stop_all()


@pytest.fixture
def slow_site(tmp_path: Path) -> Iterator[Site]:
    with serve_site(tmp_path / "slow", write_slow_site) as served:
        yield served


def bot() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


def start_crawl(client: httpx.Client, bot_id: str, url: str) -> dict[str, Any]:
    started = client.post(
        f"/v1/bots/{bot_id}/ingest/jobs", json={"kind": "crawl", "location": url, "max_pages": 20}
    )
    assert started.status_code == 202, started.text
    job: dict[str, Any] = started.json()
    return job


def wait_for(client: httpx.Client, job_id: str, done: Any, within: float = 90) -> dict[str, Any]:
    """Poll until `done(job)` holds (a wait, not a timing assertion)."""
    deadline = time.monotonic() + within
    while True:
        job: dict[str, Any] = client.get(f"/v1/ingest/jobs/{job_id}").json()
        if done(job):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.2)


def ended(job: dict[str, Any]) -> bool:
    return job["state"] not in ACTIVE_JOB_STATES


def reading(job: dict[str, Any]) -> bool:
    return bool(job["state"] == "running" and job["progress"]["done"] >= 1)


def test_a_jobs_life_is_published_on_ingest_events(
    system: IsolatedSystem, ingest: httpx.Client, site: Site
) -> None:
    bot_id = bot()
    job = start_crawl(ingest, bot_id, f"{site.base}/docs/")
    job = wait_for(ingest, job["job_id"], ended)
    assert job["state"] == "succeeded", job

    events = asyncio.run(read_ingest_topic(f"{system.name}.ingest.events"))[job["job_id"]]
    assert isinstance(events[0], IngestJobQueued) and isinstance(events[1], IngestJobStarted)
    assert isinstance(events[-1], IngestJobFinished)
    progress = [e for e in events if isinstance(e, IngestJobProgressed)]
    assert progress and all(isinstance(e, IngestJobProgressed) for e in events[2:-1])
    assert [e.done for e in progress] == sorted(e.done for e in progress)
    assert (progress[-1].done, progress[-1].total) == (4, 4)
    finished = events[-1]
    assert finished.state == "succeeded" and not finished.interrupted
    assert finished.outcome is not None and finished.outcome.pages == 4
    assert finished.outcome.skipped == 1  # robots.txt keeps /docs/private/ out
    assert {(e.bot_id, e.source.kind, e.source.location) for e in events} == {
        (bot_id, "crawl", f"{site.base}/docs/")
    }
    assert finished.source.source_id == job["source"]["source_id"]
    assert len({e.event_id for e in events}) == len(events)


def test_a_job_cut_off_by_a_restart_reads_failed_and_its_source_is_free_again(
    system: IsolatedSystem, ingest: httpx.Client, slow_site: Site
) -> None:
    bot_id, url = bot(), f"{slow_site.base}/docs/"
    killed = start_crawl(ingest, bot_id, url)
    wait_for(ingest, killed["job_id"], reading)
    system.restart("ingest", signal.SIGKILL)

    after = ingest.get(f"/v1/ingest/jobs/{killed['job_id']}").json()
    assert after["state"] == "failed" and after["interrupted"] is True, after
    assert after["error"].startswith("interrupted")
    assert after["progress"]["done"] >= 1  # what it had reached survives too

    # The lock of the dead job does not block the source; a graceful stop also records itself.
    stopped = start_crawl(ingest, bot_id, url)
    wait_for(ingest, stopped["job_id"], reading)
    system.restart("ingest", signal.SIGTERM)
    assert ingest.get(f"/v1/ingest/jobs/{stopped['job_id']}").json()["interrupted"] is True

    jobs = asyncio.run(read_ingest_topic(f"{system.name}.ingest.events"))
    for job_id in (killed["job_id"], stopped["job_id"]):
        finished = jobs[job_id][-1]
        assert isinstance(finished, IngestJobFinished), jobs[job_id]
        assert finished.state == "failed" and finished.interrupted
    listed = ingest.get(f"/v1/bots/{bot_id}/ingest/jobs").json()["jobs"]
    assert [j["job_id"] for j in listed] == [stopped["job_id"], killed["job_id"]]


def test_any_replica_answers_for_a_job_and_takes_over_a_dead_replicas_jobs(
    system: IsolatedSystem, ingest: httpx.Client, replica: IsolatedSystem, slow_site: Site
) -> None:
    bot_id, url = bot(), f"{slow_site.base}/docs/"
    with service_client(replica) as other:
        job = start_crawl(other, bot_id, url)
        running = wait_for(ingest, job["job_id"], reading)  # read from the first replica
        assert running["bot_id"] == bot_id
        refused = ingest.post(
            f"/v1/bots/{bot_id}/ingest/jobs", json={"kind": "crawl", "location": url}
        )
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "job_running"

    replica.kill("ingest", signal.SIGKILL)  # and it never comes back
    dead = wait_for(ingest, job["job_id"], ended, within=STALE_SECONDS * 6)
    assert dead["state"] == "failed" and dead["interrupted"] is True, dead
