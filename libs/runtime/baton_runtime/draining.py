"""Live streams end as soon as the server is told to stop, instead of holding its shutdown.

uvicorn stops on SIGTERM by refusing new connections and then waiting for the open ones,
`timeout_graceful_shutdown` at most. A Server-Sent Events stream never ends on its own, so
every replica with a widget or an inbox open took the whole wait (10 s) to stop, and its
visitors' streams were cut at the end of it anyway. Here the stop ends each stream at once,
cleanly (the chunked body is closed, so the browser's EventSource reconnects after its
`retry:` and resumes with Last-Event-ID on a replica that is not stopping); plain requests in
flight still get the graceful wait.

How: starlette's StreamingResponse stops its generator when `receive` says the client left
(`http.disconnect`), so for stream routes `receive` says so once draining has begun, and the
response is then closed by sending its last (empty) body part.
"""

import asyncio
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

STREAM_SUFFIX = "/stream"


class Draining:
    """Begun once, from uvicorn's signal handler (in the event loop's thread, between two of
    its steps); awaited by the streams."""

    def __init__(self) -> None:
        self.begun = False
        self._event: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def begin(self) -> None:
        self.begun = True
        if self._loop is not None and self._event is not None:
            # A signal handler may run in the middle of the loop's own work: wake it the way
            # another thread would.
            self._loop.call_soon_threadsafe(self._event.set)

    async def wait(self) -> None:
        if self._event is None:
            self._event = asyncio.Event()
            self._loop = asyncio.get_running_loop()
        # Checked after the event exists: a `begin` that ran before saw no event to set.
        if self.begun:
            return
        await self._event.wait()


def is_stream(scope: Scope) -> bool:
    return scope["type"] == "http" and str(scope.get("path", "")).endswith(STREAM_SUFFIX)


class EndStreamsOnDrain:
    """ASGI middleware: stream routes hear "the client left" once `draining` has begun."""

    def __init__(
        self, app: ASGIApp, draining: Draining, streams: Callable[[Scope], bool] = is_stream
    ) -> None:
        self._app = app
        self._draining = draining
        self._streams = streams

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._streams(scope):
            await self._app(scope, receive, send)
            return
        body_open = False

        async def receive_until_drained() -> Message:
            if self._draining.begun:
                return {"type": "http.disconnect"}
            received = asyncio.ensure_future(receive())
            drained = asyncio.ensure_future(self._draining.wait())
            try:
                await asyncio.wait({received, drained}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                # Also when the stream ended first and starlette cancelled this listener:
                # neither wait may outlive the request.
                drained.cancel()
                if not received.done():
                    received.cancel()
            return received.result() if received.done() else {"type": "http.disconnect"}

        async def tracking_send(message: Message) -> None:
            nonlocal body_open
            if message["type"] == "http.response.start":
                body_open = True
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                body_open = False
            await send(message)

        await self._app(scope, receive_until_drained, tracking_send)
        if body_open and self._draining.begun:
            # The generator was stopped mid-body: close the chunked body so the client reads
            # a finished stream (and reconnects), not a broken one.
            await send({"type": "http.response.body", "body": b"", "more_body": False})
