"""Mode read API, served from the Redis hot copy.

Any thread's mode is readable here, so the API is for Baton's own tools only: with
BATON_HANDOFF_API_TOKEN set it needs `Authorization: Bearer <token>`; without, it answers
loopback clients only (the local stack, `make bench`) and 403 to anyone else.
"""

import hmac
import ipaddress

from fastapi import APIRouter, Depends, Request

from baton_handoff.settings import HandoffSettings
from baton_runtime.errors import ApiError


def _is_loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def mode_router(settings: HandoffSettings) -> APIRouter:
    async def allowed(request: Request) -> None:
        token = settings.handoff_api_token
        if token is None:
            if not _is_loopback(request.client.host if request.client else None):
                raise ApiError(
                    403, "loopback_only", "set BATON_HANDOFF_API_TOKEN to read modes remotely"
                )
            return
        sent = request.headers.get("authorization", "").removeprefix("Bearer ").encode()
        if not hmac.compare_digest(sent, token.get_secret_value().encode()):
            raise ApiError(401, "token_required", "send BATON_HANDOFF_API_TOKEN as a Bearer token")

    router = APIRouter(prefix="/v1/threads", tags=["mode"], dependencies=[Depends(allowed)])

    @router.get("/{thread_id}/mode")
    async def read_mode(thread_id: str, request: Request) -> dict[str, str]:
        mode = await request.app.state.mode_store.read(thread_id)
        if mode is None:
            raise ApiError(404, "thread_not_found", f"no mode recorded for thread {thread_id}")
        return {"thread_id": thread_id, **mode}

    return router
