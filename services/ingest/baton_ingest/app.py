"""Composition root of the ingest service: health, ingest jobs and knowledge sources."""

import contextlib
import socket
from collections.abc import AsyncIterator

from fastapi import FastAPI

from baton_ingest.adapters.job_events import KafkaJobEvents
from baton_ingest.adapters.job_store import JobStore
from baton_ingest.api.routes import router
from baton_ingest.job import Job
from baton_ingest.jobs import JobRunner
from baton_ingest.settings import IngestSettings
from baton_ingestion.pipeline import ingest_source
from baton_ingestion.sync import IngestReport, ProgressCallback
from baton_retrieval.embedder import Embedder
from baton_retrieval.embedding_models import EmbeddingModel
from baton_retrieval.store import KnowledgeStore
from baton_runtime.api_docs import api_docs_urls
from baton_runtime.errors import install_error_handlers
from baton_runtime.health import health_router
from baton_runtime.kafka import build_broker, ensure_topics, topics_for
from baton_runtime.logging import configure_logging
from baton_runtime.metrics import metrics_router
from baton_runtime.stores import connect_mongo
from baton_runtime.waiting import wait_for


def runner_identity(settings: IngestSettings) -> str:
    """Stable across restarts of one replica (same host and port, or its instance id), so a
    restarted replica knows that the jobs it left active died with its previous life."""
    return settings.instance_id or f"{socket.gethostname()}:{settings.ingest_port}"


def build_app(settings: IngestSettings) -> FastAPI:
    configure_logging("ingest", json_output=settings.log_json, level=settings.log_level)
    broker = build_broker(settings, client_id="baton-ingest")
    topics = topics_for(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async def connect() -> None:
            app.state.store = await KnowledgeStore.connect(
                settings.chroma_host, settings.chroma_port, EmbeddingModel(settings.embedding_model)
            )

        await wait_for("chroma", connect, timeout_seconds=settings.dependency_timeout_seconds)
        mongo = await connect_mongo(settings)
        job_store = JobStore(mongo, settings.mongo_db)
        await job_store.ensure_indexes()
        await ensure_topics(settings)
        await broker.start()
        store: KnowledgeStore = app.state.store
        embedder = Embedder(
            EmbeddingModel(settings.embedding_model), models_dir=settings.models_dir
        )

        async def run_ingest(job: Job, on_progress: ProgressCallback) -> IngestReport:
            return await ingest_source(
                store,
                embedder,
                job.bot_id,
                job.source,
                base_url=job.base_url,
                options=job.options,
                on_progress=on_progress,
                upload_folder=job.scratch,
            )

        jobs = JobRunner(
            job_store,
            KafkaJobEvents(broker, topics.ingest_events),
            run_ingest,
            runner_id=runner_identity(settings),
            parallel=settings.ingest_parallel_jobs,
            stale_seconds=settings.ingest_job_stale_seconds,
        )
        await jobs.open()
        app.state.embedder, app.state.jobs, app.state.mongo = embedder, jobs, mongo
        try:
            yield
        finally:
            # Jobs first: each records itself interrupted (Mongo) and says so (Kafka).
            await jobs.close()
            await broker.stop()
            await mongo.close()

    app = FastAPI(title="Baton ingest", version="1", lifespan=lifespan, **api_docs_urls(settings))
    app.state.settings = settings
    install_error_handlers(app)

    async def chroma_ready() -> None:
        await app.state.store.heartbeat()

    async def kafka_ready() -> None:
        if not await broker.ping(timeout=2.0):
            raise RuntimeError("kafka unreachable")

    async def mongo_ready() -> None:
        await app.state.mongo.admin.command("ping")

    app.include_router(metrics_router())
    app.include_router(
        health_router({"chroma": chroma_ready, "kafka": kafka_ready, "mongo": mongo_ready})
    )
    app.include_router(router)
    return app
