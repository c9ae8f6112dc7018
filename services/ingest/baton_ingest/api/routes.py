"""Ingest jobs and knowledge sources of a bot. Every route needs the service token."""

import dataclasses
import tempfile
from pathlib import Path, PurePosixPath
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, File, Form, UploadFile

from baton_ingest.api.deps import (
    EmbedderDep,
    Runner,
    Settings,
    Store,
    require_service_token,
)
from baton_ingest.api.schemas import FolderIngest, JobCreate
from baton_ingest.jobs import JobConflict, JobRunner
from baton_ingestion.folder import max_bytes
from baton_ingestion.formats import FORMATS
from baton_ingestion.pipeline import WebOptions, ingest_folder
from baton_ingestion.sources import KnowledgeSource, SourceKind, source_id
from baton_runtime.errors import ApiError

MAX_FILENAME_BYTES = 200

router = APIRouter(tags=["ingest"], dependencies=[Depends(require_service_token)])


async def _start(
    runner: JobRunner, bot_id: str, source: KnowledgeSource, **kwargs: Any
) -> dict[str, Any]:
    try:
        job = await runner.start(bot_id, source, **kwargs)
    except JobConflict as exc:
        raise ApiError(409, "job_running", "this source is being ingested already") from exc
    return job.public()


@router.post("/v1/bots/{bot_id}/ingest/jobs", status_code=202)
async def start_job(
    bot_id: str, body: JobCreate, runner: Runner, settings: Settings
) -> dict[str, Any]:
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
        parts = urlsplit(body.location)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ApiError(422, "not_a_url", "location must be an http(s) URL", "location")
        location = body.location
    options = WebOptions(
        max_pages=min(body.max_pages, settings.ingest_max_pages),
        concurrency=settings.ingest_crawl_concurrency,
        allow_private_urls=settings.ingest_allow_private_urls,
    )
    return await _start(
        runner,
        bot_id,
        KnowledgeSource(kind, location),
        base_url=body.base_url or "",
        options=options,
    )


def _upload_filename(upload_file: UploadFile) -> str:
    """The file's base name, refused (422) unless the scratch folder can hold it as is."""
    filename = PurePosixPath(upload_file.filename or "").name
    shown = filename[:80] or "(no name)"
    # Most file systems stop at 255 bytes a name; control characters (NUL) cannot be in one.
    if len(filename.encode()) > MAX_FILENAME_BYTES or not filename.isprintable():
        raise ApiError(
            422,
            "bad_file_name",
            f"{shown!r}: a file name must be printable and at most {MAX_FILENAME_BYTES} bytes long",
            "files",
        )
    if PurePosixPath(filename).suffix.lower() not in FORMATS:
        raise ApiError(422, "unsupported_file", f"{shown}: unsupported type", "files")
    return filename


@router.post("/v1/bots/{bot_id}/ingest/uploads", status_code=202)
async def upload(
    bot_id: str,
    runner: Runner,
    files: Annotated[list[UploadFile], File(description="help pages (.md .html .txt .rst .pdf)")],
    base_url: Annotated[str, Form(pattern=r"^https?://")],
    name: Annotated[str, Form(min_length=1, max_length=200)] = "uploads",
) -> dict[str, Any]:
    """Upload files as one source called `name`: a later upload of that name replaces it.
    A file name must have a supported suffix, no control characters, and at most
    200 bytes in UTF-8."""
    filenames = [_upload_filename(upload_file) for upload_file in files]
    scratch = Path(tempfile.mkdtemp(prefix="baton-upload-"))
    for upload_file, filename in zip(files, filenames, strict=True):
        # One byte past the limit is enough for the reader to report the file as too large.
        limit = max_bytes(FORMATS[PurePosixPath(filename).suffix.lower()]) + 1
        with (scratch / filename).open("wb") as out:
            written = 0
            while written < limit and (part := await upload_file.read(1 << 20)):
                out.write(part[: limit - written])
                written += len(part)
    return await _start(
        runner,
        bot_id,
        KnowledgeSource(SourceKind.UPLOAD, name),
        base_url=base_url,
        scratch=scratch,
    )


@router.get("/v1/ingest/jobs/{job_id}")
async def job_status(job_id: str, runner: Runner) -> dict[str, Any]:
    job = await runner.get(job_id)
    if job is None:
        raise ApiError(404, "job_not_found", "no such ingest job")
    return job.public()


@router.get("/v1/bots/{bot_id}/ingest/jobs")
async def bot_jobs(bot_id: str, runner: Runner) -> dict[str, Any]:
    """The bot's latest 100 jobs, newest first."""
    return {"jobs": [job.public() for job in await runner.of_bot(bot_id)]}


@router.get("/v1/bots/{bot_id}/sources")
async def list_sources(bot_id: str, store: Store) -> dict[str, Any]:
    """The bot's knowledge sources, with how many pages and chunks each holds now."""
    pages = await store.page_chunks(bot_id)
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
async def delete_source(
    bot_id: str, source_id_: str, runner: Runner, store: Store
) -> dict[str, Any]:
    """Remove every page of the source from the bot's answers."""
    if await runner.busy_with(bot_id, source_id_):
        raise ApiError(409, "job_running", "this source is being ingested; retry when it ends")
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


BOT_BUSY = "an ingest job of this bot is queued or running; delete the bot when it ends"


@router.delete("/v1/bots/{bot_id}")
async def delete_bot(bot_id: str, runner: Runner, store: Store) -> dict[str, Any]:
    """Forget the bot: its chunks and page titles (both Chroma collections, and with them
    every source) and the records of its jobs. Refused (409 `job_running`) while one of its
    jobs is queued or running, since that job would write the collections again. Deleting
    what is already gone succeeds, so a caller that failed after this call may repeat it."""
    if await runner.bot_busy(bot_id):
        raise ApiError(409, "job_running", BOT_BUSY)
    await store.drop_bot(bot_id)
    jobs_deleted = await runner.forget_bot(bot_id)
    # A job that started in between may have written to fresh collections: the caller
    # must not treat the bot as forgotten, and its retry, once the job ends, drops them.
    if await runner.bot_busy(bot_id):
        raise ApiError(409, "job_running", BOT_BUSY)
    return {"bot_id": bot_id, "jobs_deleted": jobs_deleted}


@router.post("/v1/bots/{bot_id}/ingest/folder")
async def ingest_folder_now(
    bot_id: str, body: FolderIngest, store: Store, embedder: EmbedderDep
) -> dict[str, Any]:
    """Ingest a folder and answer when done (small folders; prefer a job otherwise)."""
    try:
        report = await ingest_folder(store, embedder, bot_id, Path(body.path), body.base_url)
    except FileNotFoundError as exc:
        raise ApiError(422, "not_a_folder", str(exc), field="path") from exc
    return dataclasses.asdict(report)
