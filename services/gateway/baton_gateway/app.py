"""Composition root of the gateway (widget edge)."""

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from baton_gateway.adapters.bots import BotDirectory
from baton_gateway.adapters.dedupe import SendDeduplicator
from baton_gateway.adapters.live import LiveSignals
from baton_gateway.adapters.messages import VisibleMessages
from baton_gateway.adapters.sessions import WidgetSessions
from baton_gateway.api.deps import GatewayServices
from baton_gateway.api.limits import BodySizeLimit
from baton_gateway.api.routes import bots, messages, sessions, stream, visitor, widget_asset
from baton_gateway.handlers import register_handlers
from baton_gateway.settings import GatewaySettings
from baton_runtime.bot_changes import BotChangeFeed
from baton_runtime.errors import install_error_handlers
from baton_runtime.health import health_router
from baton_runtime.kafka import build_broker, consumer_identity, ensure_topics, topics_for
from baton_runtime.logging import configure_logging
from baton_runtime.metrics import metrics_router
from baton_runtime.rate_limit import RateLimiter
from baton_runtime.stores import connect_mongo, connect_redis


def build_app(settings: GatewaySettings) -> FastAPI:
    configure_logging("gateway", json_output=settings.log_json, level=settings.log_level)
    broker = build_broker(settings, client_id="baton-gateway")
    topics = topics_for(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        mongo = await connect_mongo(settings)
        redis = await connect_redis(settings)
        visible = VisibleMessages(mongo, settings.mongo_db, redis, settings.redis_prefix)
        await visible.ensure_indexes()
        widget_sessions = WidgetSessions(mongo, settings.mongo_db)
        live = LiveSignals(redis, settings.redis_prefix)
        await live.hub.start()
        await ensure_topics(settings)
        register_handlers(
            broker,
            topics,
            visible,
            widget_sessions,
            live,
            consumer=consumer_identity(settings, "gateway"),
        )
        bots = BotDirectory(mongo, settings.mongo_db, settings.gateway_bot_cache_seconds)
        bot_changes = BotChangeFeed(broker, topics, "gateway", [bots])
        await broker.start()
        await bot_changes.follow()
        app.state.services = GatewayServices(
            settings=settings,
            broker=broker,
            topics=topics,
            bots=bots,
            messages=visible,
            dedupe=SendDeduplicator(redis, settings.redis_prefix),
            sessions=widget_sessions,
            live=live,
            rates=RateLimiter(redis, settings.redis_prefix),
        )
        app.state.mongo = mongo
        app.state.redis = redis
        try:
            yield
        finally:
            await broker.stop()
            await live.hub.stop()
            await redis.aclose()
            await mongo.close()

    app = FastAPI(title="Baton gateway", version="1", lifespan=lifespan)

    async def kafka_ready() -> None:
        if not await broker.ping(timeout=2.0):
            raise RuntimeError("kafka unreachable")

    async def mongo_ready() -> None:
        await app.state.mongo.admin.command("ping")

    async def redis_ready() -> None:
        await app.state.redis.ping()

    install_error_handlers(app)
    # Origins are enforced per bot inside each route; CORS only lets browsers read answers.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["authorization", "content-type", "last-event-id"],
        max_age=600,
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.gateway_max_body_bytes)
    app.include_router(metrics_router())
    app.include_router(
        health_router({"kafka": kafka_ready, "mongo": mongo_ready, "redis": redis_ready})
    )
    for module in (bots, sessions, messages, stream, visitor, widget_asset):
        app.include_router(module.router)
    return app
