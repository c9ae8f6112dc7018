"""Run an ASGI app with uvicorn; SIGTERM triggers the app's lifespan shutdown."""

from types import FrameType

import uvicorn
from fastapi import FastAPI

from baton_runtime.draining import Draining, EndStreamsOnDrain

# Requests in flight when the stop comes get this long; live streams end at once (draining.py).
GRACEFUL_SECONDS = 10


class _DrainingServer(uvicorn.Server):
    """A uvicorn server that tells the app's live streams it is stopping."""

    def __init__(self, config: uvicorn.Config, draining: Draining) -> None:
        super().__init__(config)
        self._draining = draining

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self._draining.begin()
        super().handle_exit(sig, frame)


def serve(app: FastAPI, host: str, port: int, forwarded_allow_ips: str = "") -> None:
    """`forwarded_allow_ips` empty: X-Forwarded-For is ignored from every peer. uvicorn's own
    default would believe it from loopback, so a client on the same host could pick the
    address that per-address limits count."""
    draining = Draining()
    config = uvicorn.Config(
        EndStreamsOnDrain(app, draining),
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
        proxy_headers=bool(forwarded_allow_ips.strip()),
        forwarded_allow_ips=forwarded_allow_ips.strip() or "",
    )
    _DrainingServer(config, draining).run()
