"""Composition root of the handoff service."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

from fastapi import FastAPI

from baton_handoff.adapters.bot_settings import HandbackIdleTimes
from baton_handoff.adapters.mode_store import ModeStore
from baton_handoff.api import mode_router
from baton_handoff.handlers import register_handlers
from baton_handoff.settings import HandoffSettings
from baton_handoff.timers import run_handback_timer
from baton_runtime.api_docs import api_docs_urls
from baton_runtime.bot_changes import BotChangeFeed
from baton_runtime.errors import install_error_handlers
from baton_runtime.health import health_router
from baton_runtime.kafka import build_broker, consumer_identity, ensure_topics, topics_for
from baton_runtime.logging import configure_logging
from baton_runtime.stores import connect_mongo, connect_redis


def build_app(settings: HandoffSettings) -> FastAPI:
    configure_logging("handoff", json_output=settings.log_json, level=settings.log_level)
    broker = build_broker(settings, client_id="baton-handoff")
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
        idle_times = HandbackIdleTimes(
            mongo,
            settings.mongo_db,
            timedelta(seconds=settings.handoff_handback_idle_seconds),
            settings.handoff_bot_cache_seconds,
        )
        register_handlers(
            broker,
            topics,
            store,
            consumer=consumer_identity(settings, "handoff"),
            idle_times=idle_times,
        )
        bot_changes = BotChangeFeed(broker, topics, "handoff", [idle_times])
        await broker.start()
        await bot_changes.follow()
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
    app.include_router(health_router({"kafka": kafka_ready, "stores": stores_ready}))
    app.include_router(mode_router(settings))
    return app
