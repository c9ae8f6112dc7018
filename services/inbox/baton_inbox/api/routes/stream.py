"""The staff live stream over Server-Sent Events, for a whole account or one thread."""

import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from baton_inbox.adapters.accounts import StaffUser
from baton_inbox.adapters.staff_online import REFRESH_MS, StaffOnline
from baton_inbox.api.deps import CurrentStaff, InboxServices, Services
from baton_inbox.api.scope import owned_thread
from baton_inbox.live.cursor import CursorError, CursorOutOfRange, StreamCursor
from baton_inbox.live.stream import StreamScope
from baton_inbox.metrics import STAFF_STREAMS_OPEN
from baton_runtime.errors import ApiError

router = APIRouter(tags=["stream"])

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
CursorQuery = Annotated[
    str | None,
    Query(max_length=2000, description="Resume after this cursor (from GET /v1/threads)"),
]
LastEventId = Annotated[str | None, Header(max_length=2000)]


class EventStreamResponse(StreamingResponse):
    """A Server-Sent Events stream; as the route's response class, it is what the OpenAPI
    document announces (text/event-stream), instead of JSON."""

    media_type = "text/event-stream"


def _response(
    request: Request,
    services: InboxServices,
    staff: StaffUser,
    thread_id: str | None,
    raw_cursor: str | None,
) -> EventStreamResponse:
    start: StreamCursor | None = None
    refusal: str | None = None
    if raw_cursor:
        try:
            start = StreamCursor.decode(raw_cursor)
        except CursorOutOfRange as exc:
            # Refused before any store sees it; a cursor that merely cannot resume gets a gap.
            raise ApiError(400, "bad_cursor", str(exc), "cursor") from exc
        except CursorError as exc:
            refusal = str(exc)
    body: AsyncIterator[str] = services.stream.run(
        StreamScope(staff.account_id, thread_id), start, refusal, request.is_disconnected
    )
    online = _online_while_streaming(body, services.online, staff)
    return EventStreamResponse(online, headers=SSE_HEADERS)


async def _online_while_streaming(
    body: AsyncIterator[str], online: StaffOnline, staff: StaffUser
) -> AsyncIterator[str]:
    """A teammate with a live stream open counts as online; heartbeats keep the mark fresh."""
    last_mark = 0.0
    STAFF_STREAMS_OPEN.inc()
    try:
        async for chunk in body:
            if time.monotonic() - last_mark > REFRESH_MS / 1000:
                await online.mark(staff.account_id, staff.staff_id)
                last_mark = time.monotonic()
            yield chunk
    finally:
        STAFF_STREAMS_OPEN.dec()
        await online.clear(staff.account_id, staff.staff_id)


@router.get("/v1/stream", response_class=EventStreamResponse)
async def account_stream(
    request: Request,
    staff: CurrentStaff,
    services: Services,
    cursor: CursorQuery = None,
    last_event_id: LastEventId = None,
) -> EventStreamResponse:
    """Every change of the account's threads. Last-Event-ID, which EventSource sends when it
    reconnects, wins over `cursor`: it is the newer of the two."""
    return _response(request, services, staff, None, last_event_id or cursor)


@router.get("/v1/threads/{thread_id}/stream", response_class=EventStreamResponse)
async def thread_stream(
    thread_id: str,
    request: Request,
    staff: CurrentStaff,
    services: Services,
    cursor: CursorQuery = None,
    last_event_id: LastEventId = None,
) -> EventStreamResponse:
    await owned_thread(services, staff.account_id, thread_id)
    return _response(request, services, staff, thread_id, last_event_id or cursor)
