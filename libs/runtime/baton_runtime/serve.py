"""Run an ASGI app with uvicorn; SIGTERM triggers the app's lifespan shutdown."""

import uvicorn
from fastapi import FastAPI


def serve(app: FastAPI, host: str, port: int) -> None:
    config = uvicorn.Config(
        app, host=host, port=port, log_config=None, access_log=False, timeout_graceful_shutdown=10
    )
    uvicorn.Server(config).run()
