"""The live stream of a bot's ingest jobs, which the Bots page follows instead of polling.

Registered before `bots.router`: `/{bot_id}/jobs/{job_id}` there would take "stream" for a job.
"""

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from baton_inbox.api.deps import CurrentStaff, Services
from baton_inbox.api.routes.stream import SSE_HEADERS
from baton_runtime.errors import ApiError

router = APIRouter(prefix="/v1/bots", tags=["bots"])


@router.get("/{bot_id}/jobs/stream")
async def bot_job_stream(
    bot_id: str, request: Request, staff: CurrentStaff, services: Services
) -> StreamingResponse:
    """SSE: `hello` {now, heartbeat_seconds}, then one `job` frame per event of the bot's ingest
    jobs as the ingest service publishes it on ingest.events (`ingest_job_queued`, `_started`,
    `_progressed` with done / total / current, `_finished` with state, error and outcome
    counts), `resync` when events may have been lost, and `heartbeat`. There is no resume
    cursor: after each `hello` and `resync`, read `GET /v1/bots/{bot_id}/jobs` again."""
    if await services.accounts.bot(staff.account_id, bot_id) is None:
        raise ApiError(404, "bot_not_found", f"no bot {bot_id}")
    body = services.job_stream.run(staff.account_id, bot_id, request.is_disconnected)
    return StreamingResponse(body, media_type="text/event-stream", headers=SSE_HEADERS)
