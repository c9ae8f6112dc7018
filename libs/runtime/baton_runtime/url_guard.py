"""Refuses a request whose path or query holds U+0000 (`%00`), before any route reads it.

A NUL in an id or a filter reached the document store, which refuses it (PostgreSQL's jsonb
under the local FerretDB): the caller got a 500, on public routes too
(`GET /v1/widget/bots/%00`). Request bodies refuse it per field (request_body.py); a URL has
no field to name, so it is one 400 for every route. Plain ASGI, so streams pass untouched."""

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

MESSAGE = "the URL must not contain the NUL character (U+0000, %00)"


def holds_nul(scope: Scope) -> bool:
    query: bytes = scope.get("query_string", b"")
    return "\x00" in scope.get("path", "") or b"%00" in query or b"\x00" in query


class RefuseNulInUrl:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and holds_nul(scope):
            # The shape of errors.error_body (which installs this middleware).
            body = {"error": {"code": "invalid_request", "message": MESSAGE}}
            refused = JSONResponse(body, status_code=400)
            await refused(scope, receive, send)
            return
        await self.app(scope, receive, send)
