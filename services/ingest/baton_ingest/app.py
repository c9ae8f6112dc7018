"""Composition root of the ingest service: health, ingest jobs and knowledge sources."""

import contextlib
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request

from baton_ingest.api.routes import router
from baton_ingest.api.schemas import FolderIngest
from baton_ingest.jobs import JobRunner
from baton_ingest.pipeline import ingest_folder
from baton_ingest.settings import IngestSettings
from baton_retrieval.embedder import Embedder
from baton_retrieval.store import KnowledgeStore
from baton_runtime.errors import ApiError, install_error_handlers
from baton_runtime.health import health_router
from baton_runtime.logging import configure_logging
from baton_runtime.waiting import wait_for


def build_app(settings: IngestSettings) -> FastAPI:
    configure_logging("ingest", json_output=settings.log_json, level=settings.log_level)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async def connect() -> None:
            app.state.store = await KnowledgeStore.connect(
                settings.chroma_host, settings.chroma_port
            )

        await wait_for("chroma", connect, timeout_seconds=settings.dependency_timeout_seconds)
        app.state.embedder = Embedder()
        app.state.settings = settings
        app.state.jobs = JobRunner(
            app.state.store, app.state.embedder, parallel=settings.ingest_parallel_jobs
        )
        try:
            yield
        finally:
            await app.state.jobs.close()

    app = FastAPI(title="Baton ingest", version="1", lifespan=lifespan)
    install_error_handlers(app)

    async def chroma_ready() -> None:
        await app.state.store.heartbeat()

    app.include_router(health_router({"chroma": chroma_ready}))

    app.include_router(router)

    @app.post("/v1/bots/{bot_id}/ingest/folder", tags=["ingest"])
    async def ingest(bot_id: str, body: FolderIngest, request: Request) -> dict[str, Any]:
        """Ingest a folder and answer when done (small folders; prefer a job otherwise)."""
        try:
            report = await ingest_folder(
                request.app.state.store,
                request.app.state.embedder,
                bot_id,
                Path(body.path),
                body.base_url,
            )
        except FileNotFoundError as exc:
            raise ApiError(422, "not_a_folder", str(exc), field="path") from exc
        return dataclasses.asdict(report)

    return app
