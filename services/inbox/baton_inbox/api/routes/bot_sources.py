"""Web knowledge sources of a bot: a page, a sitemap or a site, read by the ingest service.

Uploads, the source list and deletion live with the rest of the bot in `bots.py`; this
router only starts web jobs, whose progress the page follows like an upload's.
"""

from typing import Any

from fastapi import APIRouter

from baton_inbox.api.deps import BotManager, Services
from baton_inbox.api.source_schemas import WebSourceCreate
from baton_inbox.source_urls import refuse_private_url
from baton_runtime.errors import ApiError

router = APIRouter(prefix="/v1/bots", tags=["bots"])


@router.post("/{bot_id}/sources", status_code=202)
async def add_web_source(
    bot_id: str, body: WebSourceCreate, manager: BotManager, services: Services
) -> dict[str, Any]:
    """Start an ingest job reading the page, sitemap or site into the bot; poll its job."""
    if await services.accounts.bot(manager.account_id, bot_id) is None:
        raise ApiError(404, "bot_not_found", f"no bot {bot_id}")
    if not services.settings.inbox_allow_private_source_urls:
        await refuse_private_url(body.url)
    try:
        return await services.ingest.start_job(bot_id, body.kind, body.url, body.max_pages)
    except ApiError as exc:
        if exc.field == "location":  # the ingest service's name for what this API calls url
            raise ApiError(exc.status, exc.code, exc.message, "url") from exc
        raise
