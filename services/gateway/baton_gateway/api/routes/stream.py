"""Live messages over Server-Sent Events, resumable with Last-Event-ID (the log position).

Every client gets `event: message` (with `id:`). A client that asks with `include=state,typing`
also gets `event: state` (who answers now, whether to ask for an e-mail) and `event: typing`
(a teammate typing). Those carry no `id:`, so they never move the resume position.
"""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from baton_gateway.adapters.live import Signal
from baton_gateway.api.deps import CurrentVisitor, Services
from baton_gateway.domain import public_message
from baton_gateway.visitor_state import public_state
from baton_runtime.errors import ApiError

router = APIRouter(prefix="/v1/widget/threads/{thread_id}/stream", tags=["widget"])

EXTRA_EVENTS = frozenset({"state", "typing"})


# A log position is stored as MongoDB's widest integer; -1 means "from the start".
MAX_POSITION = 2**63 - 1


def _parse_position(raw: str | None) -> int:
    if raw is None or raw == "":
        return -1
    try:
        position = int(raw)
    except ValueError as exc:
        raise ApiError(400, "bad_last_event_id", "Last-Event-ID must be an integer") from exc
    if not -1 <= position <= MAX_POSITION:
        raise ApiError(400, "bad_last_event_id", f"Last-Event-ID must be from -1 to {MAX_POSITION}")
    return position


def _parse_include(raw: str | None) -> frozenset[str]:
    wanted = frozenset(part.strip() for part in (raw or "").split(",") if part.strip())
    if unknown := wanted - EXTRA_EVENTS:
        raise ApiError(
            400, "bad_include", f"unknown event types: {', '.join(sorted(unknown))}", "include"
        )
    return wanted


def _sse(event: str, data: dict[str, Any], event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _staff_typing(signal: Signal) -> dict[str, Any] | None:
    payload = signal.payload
    if signal.kind != "typing" or payload.get("author") != "staff":
        return None  # the visitor's own typing is for the inbox
    return {
        "author": "staff",
        "name": str(payload.get("name") or ""),
        "typing": bool(payload.get("typing")),
    }


@router.get("")
async def stream(
    request: Request,
    visitor: CurrentVisitor,
    services: Services,
    last_event_id: Annotated[str | None, Header()] = None,
    after: Annotated[str | None, Query(description="Resume after this position")] = None,
    include: Annotated[
        str | None, Query(description="Extra event types, comma-separated: state, typing")
    ] = None,
) -> StreamingResponse:
    start = _parse_position(last_event_id if last_event_id is not None else after)
    extras = _parse_include(include)
    heartbeat = services.settings.gateway_sse_heartbeat_seconds
    thread_id = visitor.thread_id

    async def events() -> AsyncIterator[str]:
        last_sent = start
        last_state: dict[str, Any] | None = None
        signals = services.live.listen(thread_id, services.messages.channel(thread_id))
        await anext(signals)  # subscribed before reading the backlog: nothing slips between
        yield "retry: 1000\n\n"
        pending: asyncio.Task[Signal | None] | None = None
        read_messages = read_state = True
        try:
            while True:
                # Messages are read before the state and sent after it: the gateway folds the
                # log in order, so no message reaches the widget ahead of a state change (an
                # escalation) that preceded it in the log.
                docs = await services.messages.since(thread_id, last_sent) if read_messages else []
                if read_state and "state" in extras:
                    session = await services.sessions.get(thread_id)
                    online = await services.live.team_online(visitor.bot.account_id)
                    state = public_state(session, team_online=online)
                    if state != last_state:
                        last_state = state
                        yield _sse("state", state)
                for doc in docs:
                    last_sent = doc["position"]
                    yield _sse("message", public_message(doc), last_sent)
                if await request.is_disconnected():
                    return
                pending = pending or asyncio.ensure_future(anext(signals))
                done, _ = await asyncio.wait({pending}, timeout=heartbeat)
                if not done:
                    # Re-reading on each heartbeat also covers a pub/sub notice that was lost.
                    read_messages = read_state = True
                    yield ": keep-alive\n\n"
                    continue
                signal, pending = pending.result(), None
                kind = signal.kind if signal is not None else ""
                read_messages = kind in ("messages", "resync")
                read_state = kind in ("messages", "state", "resync")
                typing = _staff_typing(signal) if signal and "typing" in extras else None
                if typing is not None:
                    yield _sse("typing", typing)
        finally:
            if pending:
                pending.cancel()
            with contextlib.suppress(Exception):
                await signals.aclose()

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
