"""Composition root of the handoff service."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from functools import partial

from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from baton_events import AiReplyCommitted, AiReplySuppressed, HandbackDue, ThreadModeChanged
from baton_handoff.adapters.mode_store import ModeStore
from baton_handoff.api import mode_router
from baton_handoff.handlers import register_handlers
from baton_handoff.ports import HandoffAdapters
from baton_handoff.settings import HandoffSettings
from baton_handoff.timers import run_handback_timer
from baton_runtime.api_docs import api_docs_urls
from baton_runtime.errors import install_error_handlers
from baton_runtime.health import health_router
from baton_runtime.kafka import ensure_topics, subscribed_broker, topics_for
from baton_runtime.logging import configure_logging
from baton_runtime.metrics import metrics_router
from baton_runtime.owned_copy import OwnedCopy
from baton_runtime.publications import declare_publications
from baton_runtime.stores import connect_mongo, connect_redis
from baton_runtime.wiring import AdapterSlot


def build_event_broker(
    settings: HandoffSettings, adapters: Callable[[], HandoffAdapters]
) -> KafkaBroker:
    """The handoff's broker and subscriber, wired to `adapters`: the real ones (build_app) or
    fakes (the unit tests)."""
    broker = subscribed_broker(
        settings,
        "handoff",
        partial(
            register_handlers,
            adapters=adapters,
            # Only for events that carry no idle time (older than 1.1, or the bot has none).
            default_handback_idle=timedelta(seconds=settings.handoff_handback_idle_seconds),
            modes=OwnedCopy("handoff_modes", settings.handoff_recent_modes),
        ),
    )
    declare_publications(
        broker,
        topics_for(settings).conversation_events,
        "handoff",
        (ThreadModeChanged, AiReplyCommitted, AiReplySuppressed, HandbackDue),
        "The handoff's verdicts, in log order: mode changes, committed or suppressed proposals, and idle hand-backs due.",
    )
    return broker


def build_app(settings: HandoffSettings) -> FastAPI:
    configure_logging("handoff", json_output=settings.log_json, level=settings.log_level)
    adapters: AdapterSlot[HandoffAdapters] = AdapterSlot()
    broker = build_event_broker(settings, adapters)
    topics = topics_for(settings)
    holder: dict[str, ModeStore] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        mongo = await connect_mongo(settings)
        redis = await connect_redis(settings)
        store = ModeStore(mongo, settings.mongo_db, redis, settings.redis_prefix)
        await store.ensure_indexes()
        holder["store"] = store
        await ensure_topics(settings)
        adapters.fill(HandoffAdapters(store=store))
        await broker.start()
        timer = asyncio.create_task(
            run_handback_timer(broker, topics, store, settings.handoff_timer_interval_seconds)
        )
        app.state.mode_store = store
        try:
            yield
        finally:
            timer.cancel()
            await broker.stop()
            await redis.aclose()
            await mongo.close()

    async def kafka_ready() -> None:
        if not await broker.ping(timeout=2.0):
            raise RuntimeError("kafka unreachable")

    async def stores_ready() -> None:
        await holder["store"].read("readyz-probe")

    app = FastAPI(title="Baton handoff", lifespan=lifespan, **api_docs_urls(settings))
    install_error_handlers(app)
    app.include_router(metrics_router())
    app.include_router(health_router({"kafka": kafka_ready, "stores": stores_ready}))
    app.include_router(mode_router(settings))
    return app
