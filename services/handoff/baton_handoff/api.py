"""Mode read API, served from the Redis hot copy."""

from fastapi import APIRouter, Request

from baton_runtime.errors import ApiError


def mode_router() -> APIRouter:
    router = APIRouter(prefix="/v1/threads", tags=["mode"])

    @router.get("/{thread_id}/mode")
    async def read_mode(thread_id: str, request: Request) -> dict[str, str]:
        mode = await request.app.state.mode_store.read(thread_id)
        if mode is None:
            raise ApiError(404, "thread_not_found", f"no mode recorded for thread {thread_id}")
        return {"thread_id": thread_id, **mode}

    return router
