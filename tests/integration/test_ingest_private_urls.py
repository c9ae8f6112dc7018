"""With its default settings the ingest service, and `baton ingest` in-process, connect to
public addresses only. The test site is on 127.0.0.1, so each page is refused with the reason
in the report, and the site never sees a request (not even robots.txt)."""

import json
import os
import subprocess
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.ingest_api import ingest_service, until_ended
from tests.support.isolated import ROOT
from tests.support.site import Site

pytestmark = pytest.mark.integration

REFUSAL = "refused: 127.0.0.1 is a loopback address"


@pytest.fixture(scope="module")
def guarded() -> Iterator[httpx.Client]:
    """An ingest process with BATON_INGEST_ALLOW_PRIVATE_URLS unset (IsolatedSystem passes
    no BATON_ variable of the caller's own)."""
    with ingest_service() as client:
        yield client


def run_job(client: httpx.Client, bot_id: str, kind: str, url: str) -> dict[str, Any]:
    """Start a job and poll it until it ends (a wait, not a timing assertion)."""
    started = client.post(f"/v1/bots/{bot_id}/ingest/jobs", json={"kind": kind, "location": url})
    assert started.status_code == 202, started.text
    return until_ended(
        started.json(), lambda job_id: client.get(f"/v1/ingest/jobs/{job_id}").json(), within=60
    )


def test_the_ingest_service_refuses_a_loopback_site_page_by_page(
    guarded: httpx.Client, site: Site, bot_id: str
) -> None:
    for kind, url in (("crawl", f"{site.base}/docs/"), ("url", f"{site.base}/docs/export.html")):
        job = run_job(guarded, bot_id, kind, url)
        assert job["state"] == "succeeded", job
        assert job["report"]["pages"] == 0 and job["report"]["errors"] == {url: REFUSAL}
    sitemap = run_job(guarded, bot_id, "sitemap", f"{site.base}/sitemap.xml")
    # No sitemap, no pages: the job fails, saying why.
    assert sitemap["state"] == "failed" and sitemap["error"].endswith(f"sitemap.xml: {REFUSAL}")
    assert guarded.get(f"/v1/bots/{bot_id}/sources").json()["sources"] == []
    assert site.requested == []


def test_baton_ingest_refuses_a_loopback_site_and_prints_why(site: Site, bot_id: str) -> None:
    env = {
        key: value for key, value in os.environ.items() if key != "BATON_INGEST_ALLOW_PRIVATE_URLS"
    }
    page_url = f"{site.base}/docs/import.html"
    command = [str(ROOT / ".venv/bin/baton"), "ingest", "--bot", bot_id]
    page = subprocess.run(
        [*command, page_url], cwd=ROOT, capture_output=True, text=True, env=env, timeout=60
    )
    assert page.returncode == 1, page.stderr
    report = json.loads(page.stdout.strip().splitlines()[-1])
    assert report["pages"] == 0 and report["errors"] == {page_url: REFUSAL}

    sitemap_url = f"{site.base}/sitemap.xml"
    sitemap = subprocess.run(
        [*command, sitemap_url], cwd=ROOT, capture_output=True, text=True, env=env, timeout=60
    )
    assert sitemap.returncode == 1 and sitemap.stdout == ""
    assert f"baton ingest: {sitemap_url}: {REFUSAL}\n" in sitemap.stderr
    assert "Traceback" not in sitemap.stderr
    assert site.requested == []
