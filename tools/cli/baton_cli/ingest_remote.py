"""`baton ingest --server URL`: hand the job to a running ingest service and follow it.

For a deployment whose Chroma this machine cannot reach: the service reads the source (a
folder must then be a path on the ingest server), and the bar follows the job's progress as
the service records it.
"""

import time
from dataclasses import fields
from typing import Any

import httpx

from baton_ingestion.pipeline import IngestReport, WebOptions
from baton_ingestion.sources import KnowledgeSource, Progress, SourceKind
from baton_ingestion.sync import ProgressCallback

POLL_SECONDS = 0.5


class RemoteIngestError(Exception):
    """The service refused the job, or the job failed."""


def _checked(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json() if response.content else {}
    if response.is_success:
        return body
    error = body.get("error") or {}
    raise RemoteIngestError(
        f"ingest answered {response.status_code}: {error.get('message', response.text)}"
    )


def job_request(source: KnowledgeSource, base_url: str, options: WebOptions) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": source.kind.value,
        "location": source.location,
        "max_pages": options.max_pages,
    }
    if source.kind is SourceKind.FOLDER:
        body["base_url"] = base_url
    return body


def ingest_remote(
    server: str,
    token: str | None,
    bot_id: str,
    source: KnowledgeSource,
    base_url: str,
    options: WebOptions,
    on_progress: ProgressCallback,
) -> IngestReport:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with httpx.Client(base_url=server.rstrip("/"), headers=headers, timeout=30) as client:
        job = _checked(
            client.post(
                f"/v1/bots/{bot_id}/ingest/jobs", json=job_request(source, base_url, options)
            )
        )
        while True:
            progress = job["progress"]
            if progress["done"]:
                on_progress(Progress(progress["done"], progress["total"], progress["current"]))
            if job["state"] not in ("queued", "running"):
                break
            time.sleep(POLL_SECONDS)
            job = _checked(client.get(f"/v1/ingest/jobs/{job['job_id']}"))
    if job["state"] != "succeeded" or job["report"] is None:
        raise RemoteIngestError(f"the ingest job failed: {job.get('error')}")
    known = {field.name for field in fields(IngestReport)}
    return IngestReport(**{key: value for key, value in job["report"].items() if key in known})
