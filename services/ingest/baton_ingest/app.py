"""Composition root of the ingest service: health and a folder-ingest endpoint."""

import contextlib
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from pydantic import BaseModel, ConfigDict, Field

from baton_ingest.pipeline import ingest_folder
from baton_ingest.settings import IngestSettings
from baton_retrieval.embedder import Embedder
from baton_retrieval.store import KnowledgeStore
from baton_runtime.errors import ApiError, install_error_handlers
from baton_runtime.health import health_router
from baton_runtime.logging import configure_logging
from baton_runtime.waiting import wait_for


class FolderIngest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(min_length=1)
    base_url: str = Field(pattern=r"^https?://")


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
        yield

    app = FastAPI(title="Baton ingest", version="1", lifespan=lifespan)
    install_error_handlers(app)

    async def chroma_ready() -> None:
        await app.state.store.heartbeat()

    app.include_router(health_router({"chroma": chroma_ready}))

    @app.post("/v1/bots/{bot_id}/ingest/folder", tags=["ingest"])
    async def ingest(bot_id: str, body: FolderIngest, request: Request) -> dict[str, Any]:
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
