"""The account's bots: settings, identity secret, knowledge sources (through the ingest
service), the embed snippet, and deletion. Every teammate may look; only admins and the owner
change."""

import secrets
from pathlib import PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Response, UploadFile

from baton_inbox.api.bot_schemas import (
    BotCreate,
    BotPublic,
    BotUpdate,
    IdentitySecret,
    bot_public,
)
from baton_inbox.api.deps import BotManager, CurrentStaff, InboxServices, Services
from baton_inbox.bot_changes import announce_bot_change
from baton_runtime.errors import ApiError

router = APIRouter(prefix="/v1/bots", tags=["bots"])

MAX_UPLOAD_FILES = 50


async def _owned_bot(services: InboxServices, account_id: str, bot_id: str) -> dict[str, Any]:
    doc = await services.accounts.bot(account_id, bot_id)
    if doc is None:
        # 404, not 403: another account's bot must not even be confirmed to exist.
        raise ApiError(404, "bot_not_found", f"no bot {bot_id}")
    return doc


def _public(services: InboxServices, doc: dict[str, Any]) -> BotPublic:
    return bot_public(doc, services.settings.inbox_gateway_public_url)


async def _write_settings(
    services: InboxServices, account_id: str, bot_id: str, changes: dict[str, Any]
) -> dict[str, Any]:
    """Stores the settings, then announces the change (BotChanged) so that every gateway,
    agent and handoff replica drops its copy of the bot at once."""
    doc = await services.accounts.update_bot(account_id, bot_id, changes)
    if doc is None:
        raise ApiError(404, "bot_not_found", f"no bot {bot_id}")
    await announce_bot_change(services.broker, services.topics, doc, "updated", changes)
    return doc


@router.get("")
async def list_bots(staff: CurrentStaff, services: Services) -> dict[str, Any]:
    docs = await services.accounts.list_bots(staff.account_id)
    return {"bots": [_public(services, doc).model_dump() for doc in docs]}


@router.post("", status_code=201, response_model=BotPublic)
async def create_bot(body: BotCreate, manager: BotManager, services: Services) -> BotPublic:
    doc = await services.accounts.create_bot(manager.account_id, body.name, body.allowed_origins())
    # Nothing caches a brand-new bot yet, but every write is announced: a consumer of
    # bots.events sees a bot's whole life, from its creation.
    await announce_bot_change(services.broker, services.topics, doc, "created", ("name",))
    return _public(services, doc)


@router.get("/{bot_id}", response_model=BotPublic)
async def get_bot(bot_id: str, staff: CurrentStaff, services: Services) -> BotPublic:
    return _public(services, await _owned_bot(services, staff.account_id, bot_id))


@router.patch("/{bot_id}", response_model=BotPublic)
async def update_bot(
    bot_id: str, body: BotUpdate, manager: BotManager, services: Services
) -> BotPublic:
    doc = await _write_settings(services, manager.account_id, bot_id, body.changes())
    return _public(services, doc)


@router.delete("/{bot_id}", status_code=204)
async def delete_bot(bot_id: str, manager: BotManager, services: Services) -> Response:
    """Delete the bot: its knowledge (sources, page titles and ingest job records, in the
    ingest service), its settings, and with them its widget on every site. Its threads stay
    in the inbox. 409 `job_running` while one of its ingest jobs is queued or running."""
    await _owned_bot(services, manager.account_id, bot_id)
    # Ordered so that a failure at any step leaves a bot the admin can delete again.
    # Knowledge first: the ingest service refuses while a job writes into the bot, and until
    # the document goes the bot is listed and whole. Dropping knowledge twice is harmless,
    # so a failure after it leaves a bot without sources that the next attempt finishes.
    # The event last: it only evicts caches early; once the document is gone, a reader that
    # misses the event finds no bot when its cache runs out (BATON_*_BOT_CACHE_SECONDS).
    await services.ingest.delete_bot(bot_id)
    doc = await services.accounts.delete_bot(manager.account_id, bot_id)
    if doc is None:  # a teammate deleted it in the meantime
        raise ApiError(404, "bot_not_found", f"no bot {bot_id}")
    # Deleting is a write: the event carries a revision past the last one stored.
    gone = {**doc, "revision": int(doc.get("revision") or 0) + 1}
    await announce_bot_change(services.broker, services.topics, gone, "deleted")
    return Response(status_code=204)


@router.post("/{bot_id}/identity-secret", response_model=IdentitySecret)
async def rotate_identity_secret(
    bot_id: str, manager: BotManager, services: Services
) -> IdentitySecret:
    """A new secret replaces the old at once (signatures made with the old one stop passing);
    this response is the only place it is ever shown."""
    secret = secrets.token_hex(32)
    doc = await _write_settings(services, manager.account_id, bot_id, {"identity_secret": secret})
    return IdentitySecret(identity_secret=secret, bot=_public(services, doc))


@router.delete("/{bot_id}/identity-secret", response_model=BotPublic)
async def remove_identity_secret(bot_id: str, manager: BotManager, services: Services) -> BotPublic:
    doc = await _write_settings(services, manager.account_id, bot_id, {"identity_secret": None})
    return _public(services, doc)


@router.post("/{bot_id}/uploads", status_code=202)
async def upload_files(
    bot_id: str,
    manager: BotManager,
    services: Services,
    files: Annotated[list[UploadFile], File(description="help pages (.md .html .txt .rst .pdf)")],
    base_url: Annotated[str, Form(pattern=r"^https?://\S+$", max_length=2000)],
    name: Annotated[str, Form(min_length=1, max_length=200)] = "uploads",
) -> dict[str, Any]:
    """Starts an ingest job reading the files into the bot; poll its job for progress."""
    await _owned_bot(services, manager.account_id, bot_id)
    if len(files) > MAX_UPLOAD_FILES:
        raise ApiError(422, "too_many_files", f"at most {MAX_UPLOAD_FILES} files", "files")
    payload = [
        (
            PurePosixPath(upload.filename or "").name,
            await upload.read(),
            upload.content_type or "application/octet-stream",
        )
        for upload in files
    ]
    return await services.ingest.upload(bot_id, payload, base_url, name)


@router.get("/{bot_id}/jobs")
async def list_jobs(bot_id: str, staff: CurrentStaff, services: Services) -> dict[str, Any]:
    await _owned_bot(services, staff.account_id, bot_id)
    return await services.ingest.jobs(bot_id)


@router.get("/{bot_id}/jobs/{job_id}")
async def job_status(
    bot_id: str, job_id: str, staff: CurrentStaff, services: Services
) -> dict[str, Any]:
    await _owned_bot(services, staff.account_id, bot_id)
    job = await services.ingest.job(job_id)
    if job.get("bot_id") != bot_id:
        raise ApiError(404, "job_not_found", "no such ingest job")
    return job


@router.get("/{bot_id}/sources")
async def list_sources(bot_id: str, staff: CurrentStaff, services: Services) -> dict[str, Any]:
    await _owned_bot(services, staff.account_id, bot_id)
    return await services.ingest.sources(bot_id)


@router.delete("/{bot_id}/sources/{source_id}")
async def delete_source(
    bot_id: str, source_id: str, manager: BotManager, services: Services
) -> dict[str, Any]:
    await _owned_bot(services, manager.account_id, bot_id)
    return await services.ingest.delete_source(bot_id, source_id)
