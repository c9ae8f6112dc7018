"""Live messages over Server-Sent Events, resumable with Last-Event-ID (the log position)."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from baton_gateway.api.deps import CurrentVisitor, Services
from baton_gateway.domain import public_message
from baton_runtime.errors import ApiError

router = APIRouter(prefix="/v1/widget/threads/{thread_id}/stream", tags=["widget"])


def _parse_position(raw: str | None) -> int:
    if raw is None or raw == "":
        return -1
    try:
        return int(raw)
    except ValueError as exc:
        raise ApiError(400, "bad_last_event_id", "Last-Event-ID must be an integer") from exc


@router.get("")
async def stream(
    request: Request,
    visitor: CurrentVisitor,
    services: Services,
    last_event_id: Annotated[str | None, Header()] = None,
    after: Annotated[str | None, Query(description="Resume after this position")] = None,
) -> StreamingResponse:
    start = _parse_position(last_event_id if last_event_id is not None else after)
    heartbeat = services.settings.gateway_sse_heartbeat_seconds

    async def events() -> AsyncIterator[str]:
        last_sent = start
        changes = services.messages.notifications(visitor.thread_id)
        await anext(changes)  # subscribed before reading the backlog: nothing slips between
        yield "retry: 1000\n\n"
        pending: asyncio.Task[None] | None = None
        try:
            while True:
                for doc in await services.messages.since(visitor.thread_id, last_sent):
                    last_sent = doc["position"]
                    payload = json.dumps(public_message(doc), ensure_ascii=False)
                    yield f"id: {last_sent}\nevent: message\ndata: {payload}\n\n"
                if await request.is_disconnected():
                    return
                pending = pending or asyncio.ensure_future(anext(changes))
                done, _ = await asyncio.wait({pending}, timeout=heartbeat)
                if done:
                    pending = None
                else:
                    yield ": keep-alive\n\n"
        finally:
            if pending:
                pending.cancel()
            with contextlib.suppress(Exception):
                await changes.aclose()

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
