"""Run an ASGI app with uvicorn; SIGTERM triggers the app's lifespan shutdown."""

import uvicorn
from fastapi import FastAPI


def serve(app: FastAPI, host: str, port: int, forwarded_allow_ips: str = "") -> None:
    """`forwarded_allow_ips` empty: X-Forwarded-For is ignored from every peer. uvicorn's own
    default would believe it from loopback, so a client on the same host could pick the
    address that per-address limits count."""
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=10,
        proxy_headers=bool(forwarded_allow_ips.strip()),
        forwarded_allow_ips=forwarded_allow_ips.strip() or "",
    )
    uvicorn.Server(config).run()
