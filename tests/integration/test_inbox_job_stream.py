"""Ingest progress on the inbox's bot job stream: a job started through the inbox API is read
by a real ingest process, its events go over the real Kafka (ingest.events) to the inbox's
consumer and out on GET /v1/bots/{bot}/jobs/stream of that bot's account, and nowhere else."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.http import TypedStream
from tests.support.inbox_harness import bearer, sign_up
from tests.support.ingest_api import inbox_with_ingest
from tests.support.isolated import IsolatedSystem

pytestmark = pytest.mark.integration

PAGES = [
    (f"page-{n}.md", f"# Page {n}\n\nHow to use feature {n}: open Settings, then Feature {n}.\n")
    for n in range(1, 5)
]


@pytest.fixture(scope="module")
def system() -> Iterator[IsolatedSystem]:
    with inbox_with_ingest(BATON_INBOX_SSE_HEARTBEAT_SECONDS="1") as isolated:
        yield isolated


def new_bot(inbox: str, headers: dict[str, str]) -> str:
    created = httpx.post(f"{inbox}/v1/bots", json={"name": "Acme help"}, headers=headers)
    assert created.status_code == 201, created.text
    bot_id: str = created.json()["id"]
    return bot_id


def open_stream(url: str, headers: dict[str, str]) -> TypedStream:
    stream = TypedStream(url, headers)
    stream.wait_for("hello", lambda _: True)
    return stream


def test_a_jobs_progress_and_end_reach_its_accounts_bots_page_only(
    system: IsolatedSystem,
) -> None:
    inbox = system.url("inbox")
    _, token = sign_up(inbox)
    _, other_token = sign_up(inbox)
    owner, other = bearer(token), bearer(other_token)
    bot_id, other_bot_id = new_bot(inbox, owner), new_bot(inbox, other)

    refused = httpx.get(f"{inbox}/v1/bots/{bot_id}/jobs/stream", headers=other)
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "bot_not_found"

    jobs = open_stream(f"{inbox}/v1/bots/{bot_id}/jobs/stream", owner)
    hello = jobs.of("hello")[0]
    assert hello["heartbeat_seconds"] == 1
    others = open_stream(f"{inbox}/v1/bots/{other_bot_id}/jobs/stream", other)
    staff = open_stream(f"{inbox}/v1/stream", owner)  # the account's thread stream
    try:
        started = httpx.post(
            f"{inbox}/v1/bots/{bot_id}/uploads",
            files=[("files", (name, text.encode(), "text/markdown")) for name, text in PAGES],
            data={"base_url": "https://help.acme.test/", "name": "Acme manual"},
            headers=owner,
            timeout=30,
        )
        assert started.status_code == 202, started.text
        job_id = started.json()["job_id"]

        def of_job(event: dict[str, Any]) -> bool:
            return bool(event["job_id"] == job_id)

        finished = jobs.wait_for(
            "job", lambda e: of_job(e) and e["type"] == "ingest_job_finished", timeout=90
        )
        events = [event for event in jobs.of("job") if of_job(event)]
        types = [event["type"] for event in events]
        assert types[:2] == ["ingest_job_queued", "ingest_job_started"], events
        assert types[-1] == "ingest_job_finished" and types.count("ingest_job_finished") == 1
        progress = [event for event in events if event["type"] == "ingest_job_progressed"]
        assert progress, [(e["type"], e.get("state"), e.get("error")) for e in events]
        assert [e["done"] for e in progress] == sorted(e["done"] for e in progress)
        assert (progress[-1]["done"], progress[-1]["total"]) == (4, 4)
        assert finished["bot_id"] == bot_id and finished["state"] == "succeeded"
        assert finished["outcome"]["pages"] == 4 and finished["error"] is None
        assert finished["source"] == {
            "source_id": started.json()["source"]["source_id"],
            "kind": "upload",
            "location": "Acme manual",
        }

        # What the stream said is what the job record says.
        record = httpx.get(f"{inbox}/v1/bots/{bot_id}/jobs/{job_id}", headers=owner).json()
        assert record["state"] == "succeeded" and record["report"]["pages"] == 4

        # The other account heard heartbeats, no job; the thread stream ignores job items
        # and stays up (a heartbeat after the job's events went through the same hub).
        others.wait_for("heartbeat", lambda _: True)
        assert others.of("job") == [] and others.error is None
        count = len(staff.of("heartbeat"))
        staff.wait_for("heartbeat", lambda _: len(staff.of("heartbeat")) > count)
        assert staff.of("job") == [] and staff.error is None
    finally:
        for stream in (jobs, others, staff):
            stream.close()
