"""Ingest jobs and knowledge sources of a bot."""

import tempfile
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile

from baton_ingest.api.schemas import JobCreate
from baton_ingest.folder import max_bytes
from baton_ingest.formats import FORMATS
from baton_ingest.jobs import JobConflict, JobRunner
from baton_ingest.pipeline import WebOptions
from baton_ingest.settings import IngestSettings
from baton_ingest.sources import KnowledgeSource, SourceKind, source_id
from baton_retrieval.store import KnowledgeStore
from baton_runtime.errors import ApiError

router = APIRouter(tags=["ingest"])


def _runner(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.jobs
    return runner


def _store(request: Request) -> KnowledgeStore:
    store: KnowledgeStore = request.app.state.store
    return store


def _settings(request: Request) -> IngestSettings:
    settings: IngestSettings = request.app.state.settings
    return settings


def _start(request: Request, bot_id: str, source: KnowledgeSource, **kwargs: Any) -> dict[str, Any]:
    try:
        job = _runner(request).start(bot_id, source, **kwargs)
    except JobConflict as exc:
        raise ApiError(409, "job_running", "this source is being ingested already") from exc
    return job.public()


@router.post("/v1/bots/{bot_id}/ingest/jobs", status_code=202)
async def start_job(bot_id: str, body: JobCreate, request: Request) -> dict[str, Any]:
    """Start reading a folder, a page, a sitemap or a site into the bot; poll the job."""
    kind = SourceKind(body.kind)
    if kind is SourceKind.FOLDER:
        folder = Path(body.location)
        if not folder.is_absolute() or not folder.is_dir():  # noqa: ASYNC240 - one stat call
            raise ApiError(422, "not_a_folder", "not a folder on the ingest server", "location")
        if body.base_url is None:
            raise ApiError(422, "base_url_required", "a folder needs base_url", "base_url")
        location = str(folder)
    else:
        if not body.location.startswith(("http://", "https://")):
            raise ApiError(422, "not_a_url", "location must be an http(s) URL", "location")
        location = body.location
    settings = _settings(request)
    options = WebOptions(
        max_pages=min(body.max_pages, settings.ingest_max_pages),
        concurrency=settings.ingest_crawl_concurrency,
    )
    return _start(
        request,
        bot_id,
        KnowledgeSource(kind, location),
        base_url=body.base_url or "",
        options=options,
    )


@router.post("/v1/bots/{bot_id}/ingest/uploads", status_code=202)
async def upload(
    bot_id: str,
    request: Request,
    files: Annotated[list[UploadFile], File(description="help pages (.md .html .txt .rst .pdf)")],
    base_url: Annotated[str, Form(pattern=r"^https?://")],
    name: Annotated[str, Form(min_length=1, max_length=200)] = "uploads",
) -> dict[str, Any]:
    """Upload files as one source called `name`: a later upload of that name replaces it."""
    for upload_file in files:
        filename = PurePosixPath(upload_file.filename or "").name
        if PurePosixPath(filename).suffix.lower() not in FORMATS:
            raise ApiError(
                422, "unsupported_file", f"{filename or '(no name)'}: unsupported type", "files"
            )
    scratch = Path(tempfile.mkdtemp(prefix="baton-upload-"))
    for upload_file in files:
        filename = PurePosixPath(upload_file.filename or "").name
        # One byte past the limit is enough for the reader to report the file as too large.
        limit = max_bytes(FORMATS[PurePosixPath(filename).suffix.lower()]) + 1
        with (scratch / filename).open("wb") as out:
            written = 0
            while written < limit and (part := await upload_file.read(1 << 20)):
                out.write(part[: limit - written])
                written += len(part)
    return _start(
        request,
        bot_id,
        KnowledgeSource(SourceKind.UPLOAD, name),
        base_url=base_url,
        scratch=scratch,
    )


@router.get("/v1/ingest/jobs/{job_id}")
async def job_status(job_id: str, request: Request) -> dict[str, Any]:
    job = _runner(request).get(job_id)
    if job is None:
        raise ApiError(404, "job_not_found", "no such ingest job")
    return job.public()


@router.get("/v1/bots/{bot_id}/ingest/jobs")
async def bot_jobs(bot_id: str, request: Request) -> dict[str, Any]:
    return {"jobs": [job.public() for job in reversed(_runner(request).of_bot(bot_id))]}


@router.get("/v1/bots/{bot_id}/sources")
async def list_sources(bot_id: str, request: Request) -> dict[str, Any]:
    """The bot's knowledge sources, with how many pages and chunks each holds now."""
    pages = await _store(request).page_chunks(bot_id)
    sources: dict[str, dict[str, Any]] = {}
    for (origin, _page), ids in pages.items():
        known = KnowledgeSource.from_origin(origin)
        entry = sources.setdefault(
            origin,
            {
                "source_id": source_id(origin),
                "kind": known.kind.value if known else "legacy",
                "location": known.location if known else "",
                "pages": 0,
                "chunks": 0,
            },
        )
        entry["pages"] += 1
        entry["chunks"] += len(ids)
    return {"sources": sorted(sources.values(), key=lambda s: (s["kind"], s["location"]))}


@router.delete("/v1/bots/{bot_id}/sources/{source_id_}")
async def delete_source(bot_id: str, source_id_: str, request: Request) -> dict[str, Any]:
    """Remove every page of the source from the bot's answers."""
    if _runner(request).busy_with(bot_id, source_id_):
        raise ApiError(409, "job_running", "this source is being ingested; retry when it ends")
    store = _store(request)
    pages = await store.page_chunks(bot_id)
    origins = {origin for origin, _page in pages if source_id(origin) == source_id_}
    ids = sorted(
        chunk_id
        for (origin, _page), chunk_ids in pages.items()
        if origin in origins
        for chunk_id in chunk_ids
    )
    if not ids:
        raise ApiError(404, "source_not_found", "the bot has no such source")
    await store.delete(bot_id, ids)
    for origin in origins:
        await store.titles.delete_origin(bot_id, origin)
    return {"source_id": source_id_, "chunks_deleted": len(ids)}
