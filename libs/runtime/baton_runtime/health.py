"""/healthz (the process answers) and /readyz (its dependencies answer) for every service."""

from collections.abc import Awaitable, Callable
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

ReadinessCheck = Callable[[], Awaitable[object]]


class Alive(BaseModel):
    status: Literal["ok"] = "ok"


class Ready(BaseModel):
    status: Literal["ready"] = "ready"


class Unavailable(BaseModel):
    status: Literal["unavailable"] = "unavailable"
    failures: dict[str, str]


def health_router(checks: dict[str, ReadinessCheck]) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", response_model=Alive)
    async def healthz() -> Alive:
        return Alive()

    @router.get(
        "/readyz",
        response_model=Ready,
        responses={503: {"model": Unavailable, "description": "A dependency does not answer."}},
    )
    async def readyz() -> Ready | JSONResponse:
        failures: dict[str, str] = {}
        for name, check in checks.items():
            try:
                await check()
            except Exception as exc:
                failures[name] = repr(exc)
        if failures:
            body = Unavailable(failures=failures).model_dump()
            return JSONResponse(body, status_code=503)
        return Ready()

    return router
