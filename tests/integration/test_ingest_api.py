"""The ingest service's HTTP API (a real process on its own port) and `baton ingest`."""

import asyncio
import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from baton_retrieval.store import KnowledgeStore
from tests.support.infra import infra
from tests.support.ingest_api import ingest_service, until_ended
from tests.support.isolated import ROOT
from tests.support.metrics import sample_totals
from tests.support.pdf import text_pdf
from tests.support.site import Site

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def ingest() -> Iterator[httpx.Client]:
    """The API of an ingest process of its own, called with the service token, allowed to
    read the tests' sites on 127.0.0.1."""
    with ingest_service(BATON_INGEST_ALLOW_PRIVATE_URLS="true") as client:
        yield client


@pytest.fixture
def bot_id(ingest: httpx.Client) -> Iterator[str]:
    bot = f"test-{uuid.uuid4().hex[:8]}"
    yield bot
    for source in ingest.get(f"/v1/bots/{bot}/sources").json()["sources"]:
        ingest.delete(f"/v1/bots/{bot}/sources/{source['source_id']}")


def finished(ingest: httpx.Client, job: dict[str, Any]) -> dict[str, Any]:
    return until_ended(job, lambda job_id: ingest.get(f"/v1/ingest/jobs/{job_id}").json())


def test_a_crawl_job_reports_progress_and_its_source_can_be_deleted(
    ingest: httpx.Client, site: Site, bot_id: str
) -> None:
    before = sample_totals(ingest.get("/metrics").text)
    started = ingest.post(
        f"/v1/bots/{bot_id}/ingest/jobs",
        json={"kind": "crawl", "location": f"{site.base}/docs/", "max_pages": 10},
    )
    assert started.status_code == 202
    assert started.json()["source"]["kind"] == "crawl"
    job = finished(ingest, started.json())
    assert job["state"] == "succeeded", job
    after = sample_totals(ingest.get("/metrics").text)
    for name in ("baton_ingest_jobs_finished_total", "baton_ingest_chunks_written_total"):
        assert after[name] > before.get(name, 0.0), name
    assert after["baton_ingest_jobs_running"] == 0
    assert job["progress"]["done"] == job["progress"]["total"] == 4
    assert job["report"]["pages"] == 4
    assert job["report"]["skipped"] == [f"{site.base}/docs/private/secret.html"]

    sources = ingest.get(f"/v1/bots/{bot_id}/sources").json()["sources"]
    assert [(s["kind"], s["location"], s["pages"]) for s in sources] == [
        ("crawl", f"{site.base}/docs/", 4)
    ]
    listed = ingest.get(f"/v1/bots/{bot_id}/ingest/jobs").json()["jobs"]
    assert [j["job_id"] for j in listed] == [job["job_id"]]

    source_id = sources[0]["source_id"]
    deleted = ingest.delete(f"/v1/bots/{bot_id}/sources/{source_id}")
    assert deleted.status_code == 200 and deleted.json()["chunks_deleted"] >= 4
    assert ingest.get(f"/v1/bots/{bot_id}/sources").json()["sources"] == []
    again = ingest.delete(f"/v1/bots/{bot_id}/sources/{source_id}")
    assert again.status_code == 404 and again.json()["error"]["code"] == "source_not_found"


def test_uploaded_files_ingest_with_per_file_errors_and_replace_the_source(
    ingest: httpx.Client, bot_id: str
) -> None:
    files = [
        ("files", ("faq.md", b"# FAQ\n\nReset a password under **Account > Security**.\n")),
        ("files", ("manual.pdf", text_pdf([["Quarterly reports live in Reports."]]))),
        ("files", ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type")),
    ]
    form = {"base_url": "https://help.test/files", "name": "manuals"}
    started = ingest.post(f"/v1/bots/{bot_id}/ingest/uploads", data=form, files=files)
    assert started.status_code == 202, started.text
    job = finished(ingest, started.json())
    assert job["report"]["pages"] == 2
    assert list(job["report"]["errors"]) == ["broken.pdf"]
    assert "broken PDF" in job["report"]["errors"]["broken.pdf"]

    smaller = [files[0]]
    job = finished(
        ingest,
        ingest.post(f"/v1/bots/{bot_id}/ingest/uploads", data=form, files=smaller).json(),
    )
    assert job["report"]["unchanged_pages"] == 1 and job["report"]["chunks_deleted"] >= 1
    sources = ingest.get(f"/v1/bots/{bot_id}/sources").json()["sources"]
    assert [(s["kind"], s["location"], s["pages"]) for s in sources] == [("upload", "manuals", 1)]

    refused = ingest.post(
        f"/v1/bots/{bot_id}/ingest/uploads",
        data=form,
        files=[("files", ("setup.exe", b"MZ"))],
    )
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "unsupported_file"


def test_bad_job_requests_are_refused_with_the_error_shape(ingest: httpx.Client) -> None:
    url = "/v1/bots/b1/ingest/jobs"
    folder = ingest.post(url, json={"kind": "folder", "location": "/no/such/folder"})
    assert folder.status_code == 422
    assert folder.json()["error"] == {
        "code": "not_a_folder",
        "message": "not a folder on the ingest server",
        "field": "location",
    }
    assert ingest.post(url, json={"kind": "url", "location": "ftp://x"}).status_code == 422
    assert ingest.post(url, json={"kind": "url", "location": "http://"}).status_code == 422
    assert ingest.post(url, json={"kind": "nope", "location": "x"}).status_code == 422
    missing = ingest.get("/v1/ingest/jobs/nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "job_not_found"


def test_a_folder_job_on_the_server(ingest: httpx.Client, bot_id: str) -> None:
    started = ingest.post(
        f"/v1/bots/{bot_id}/ingest/jobs",
        json={
            "kind": "folder",
            "location": str(ROOT / "demo/helpcenter"),
            "base_url": "https://help.test",
        },
    )
    job = finished(ingest, started.json())
    assert job["state"] == "succeeded" and job["report"]["pages"] == 10


def test_baton_ingest_reads_a_sitemap_with_a_progress_bar(site: Site) -> None:
    bot = f"test-{uuid.uuid4().hex[:8]}"
    out = subprocess.run(
        [str(ROOT / ".venv/bin/baton"), "ingest", "--bot", bot, f"{site.base}/sitemap.xml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "BATON_INGEST_ALLOW_PRIVATE_URLS": "true"},
    )
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["pages"] == 4 and report["chunks_written"] > 0
    assert f"[{'#' * 30}]    4/4 pages" in out.stderr
    asyncio.run(drop(bot))


async def drop(bot: str) -> None:
    store = await KnowledgeStore.connect(infra().chroma_host, infra().chroma_port)
    await store.drop_bot(bot)


def test_every_route_but_health_needs_the_service_token(ingest: httpx.Client) -> None:
    base = str(ingest.base_url).rstrip("/")
    for method, path in (
        ("POST", "/v1/bots/b1/ingest/jobs"),
        ("POST", "/v1/bots/b1/ingest/uploads"),
        ("POST", "/v1/bots/b1/ingest/folder"),
        ("GET", "/v1/ingest/jobs/j1"),
        ("GET", "/v1/bots/b1/ingest/jobs"),
        ("GET", "/v1/bots/b1/sources"),
        ("DELETE", "/v1/bots/b1/sources/s1"),
        ("DELETE", "/v1/bots/b1"),
    ):
        missing = httpx.request(method, base + path)
        assert missing.status_code == 401, (method, path, missing.text)
        assert missing.json()["error"]["code"] == "token_required"
        assert "BATON_INGEST_API_TOKEN" in missing.json()["error"]["message"]
        wrong = httpx.request(method, base + path, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid_token"
    assert httpx.get(base + "/healthz").status_code == 200
    assert httpx.get(base + "/readyz").status_code == 200


def test_baton_ingest_can_hand_the_job_to_the_service(ingest: httpx.Client, site: Site) -> None:
    bot = f"test-{uuid.uuid4().hex[:8]}"
    command = [
        str(ROOT / ".venv/bin/baton"),
        "ingest",
        "--server",
        str(ingest.base_url),
        "--bot",
        bot,
        f"{site.base}/sitemap.xml",
    ]
    token = ingest.headers["Authorization"].removeprefix("Bearer ")
    env = {"PATH": "/usr/bin:/bin", "BATON_INGEST_API_TOKEN": token}
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, check=True)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["pages"] == 4 and report["chunks_written"] > 0
    assert f"[{'#' * 30}]    4/4 pages" in out.stderr
    jobs = ingest.get(f"/v1/bots/{bot}/ingest/jobs").json()["jobs"]
    assert [(j["source"]["kind"], j["state"]) for j in jobs] == [("sitemap", "succeeded")]

    refused = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}
    )
    assert refused.returncode == 1 and "BATON_INGEST_API_TOKEN" in refused.stderr
    asyncio.run(drop(bot))
