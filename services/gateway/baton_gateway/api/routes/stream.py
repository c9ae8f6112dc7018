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

from baton_contracts.live_signals import VisibleMessageNotice
from baton_gateway.adapters.live import Signal
from baton_gateway.api.deps import CurrentVisitor, GatewayServices, Services
from baton_gateway.domain import public_message
from baton_gateway.metrics import WIDGET_STREAMS_OPEN
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
    if signal.staff_typing is None:
        return None
    return signal.staff_typing.model_dump(include={"author", "name", "typing"})


async def _backlog(
    services: GatewayServices, thread_id: str, after_position: int
) -> list[tuple[int, dict[str, Any]]]:
    docs = await services.messages.since(thread_id, after_position)
    return [(int(doc["position"]), public_message(doc)) for doc in docs]


def _follow(
    notice: VisibleMessageNotice | None, last_sent: int
) -> tuple[list[tuple[int, dict[str, Any]]], bool]:
    """What a message notice lets the stream send without a store read, and whether it must
    read the store instead: when the notice is unreadable, or a message before it was missed
    (its previous position is past what this stream has sent, or unknown)."""
    if notice is None:
        return [], True
    if notice.position <= last_sent:
        return [], False  # already sent, by a backlog read
    if notice.previous_position is not None and notice.previous_position <= last_sent:
        return [(notice.position, notice.message)], False
    return [], True


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
        newest = await services.messages.newest_position(thread_id)
        # Unknown newest (a thread quiet for days): read the store once to be sure.
        read_store = newest is None or newest > last_sent
        read_state = True
        fresh: list[tuple[int, dict[str, Any]]] = []
        WIDGET_STREAMS_OPEN.inc()
        try:
            while True:
                # Messages are read before the state and sent after it: the gateway folds the
                # log in order, so no message reaches the widget ahead of a state change (an
                # escalation) that preceded it in the log.
                batch = await _backlog(services, thread_id, last_sent) if read_store else fresh
                if read_state and "state" in extras:
                    session = await services.sessions.get(thread_id)
                    online = await services.live.team_online(visitor.bot.account_id)
                    hours = await services.account_hours.of(visitor.bot.account_id)
                    state = public_state(session, team_online=online, hours=hours)
                    if state != last_state:
                        last_state = state
                        yield _sse("state", state)
                for position, message in batch:
                    if position > last_sent:
                        last_sent = position
                        yield _sse("message", message, last_sent)
                if await request.is_disconnected():
                    return
                pending = pending or asyncio.ensure_future(anext(signals))
                done, _ = await asyncio.wait({pending}, timeout=heartbeat)
                if not done:
                    # A key read, not a query: a lost notice shows as a newer newest position.
                    newest = await services.messages.newest_position(thread_id)
                    read_store = newest is not None and newest > last_sent
                    read_state, fresh = True, []
                    yield ": keep-alive\n\n"
                    continue
                signal, pending = pending.result(), None
                kind = signal.kind if signal is not None else ""
                fresh = []
                read_store = kind == "resync"
                if kind == "messages" and signal is not None:
                    fresh, read_store = _follow(signal.notice, last_sent)
                # A message changes no state: the state is read when a state notice says it
                # changed (published also for a redelivered event, in log order with the
                # messages' notices), after a resync, and at each heartbeat.
                read_state = kind in ("state", "resync")
                typing = _staff_typing(signal) if signal and "typing" in extras else None
                if typing is not None:
                    yield _sse("typing", typing)
        finally:
            WIDGET_STREAMS_OPEN.dec()
            if pending:
                pending.cancel()
            with contextlib.suppress(Exception):
                await signals.aclose()

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
