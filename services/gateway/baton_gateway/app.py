"""Composition root of the gateway (widget edge)."""

import contextlib
from collections.abc import AsyncIterator, Callable
from functools import partial

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from faststream.kafka import KafkaBroker

from baton_contracts import redis_keys
from baton_events import ThreadStarted, VisitorContactLeft, VisitorMessageReceived
from baton_gateway.adapters.bots import BotDirectory
from baton_gateway.adapters.dedupe import SendDeduplicator
from baton_gateway.adapters.live import LiveSignals
from baton_gateway.adapters.messages import VisibleMessages
from baton_gateway.adapters.sessions import WidgetSessions
from baton_gateway.api.deps import GatewayServices
from baton_gateway.api.limits import BodySizeLimit
from baton_gateway.api.routes import bots, messages, sessions, stream, visitor, widget_asset
from baton_gateway.handlers import register_handlers
from baton_gateway.ports import GatewayAdapters
from baton_gateway.settings import GatewaySettings
from baton_runtime.account_hours import AccountHours
from baton_runtime.bot_changes import BotChangeFeed
from baton_runtime.errors import install_error_handlers
from baton_runtime.health import health_router
from baton_runtime.kafka import ensure_topics, subscribed_broker, topics_for
from baton_runtime.logging import configure_logging
from baton_runtime.metrics import metrics_router
from baton_runtime.owned_copy import OwnedCopy
from baton_runtime.publications import declare_publications
from baton_runtime.rate_limit import RateLimiter
from baton_runtime.stores import connect_mongo, connect_redis
from baton_runtime.wiring import AdapterSlot


def build_event_broker(
    settings: GatewaySettings, adapters: Callable[[], GatewayAdapters]
) -> KafkaBroker:
    """The gateway's broker and subscriber, wired to `adapters`: the real ones (build_app) or
    fakes (the unit tests)."""
    broker = subscribed_broker(
        settings,
        "gateway",
        partial(
            register_handlers,
            adapters=adapters,
            handovers=OwnedCopy("gateway_handovers", settings.gateway_recent_handovers),
        ),
    )
    declare_publications(
        broker,
        topics_for(settings).conversation_events,
        "gateway",
        (ThreadStarted, VisitorMessageReceived, VisitorContactLeft),
        "A visitor opened a thread, wrote, or left an e-mail (the widget HTTP API).",
    )
    return broker


def build_app(settings: GatewaySettings) -> FastAPI:
    configure_logging("gateway", json_output=settings.log_json, level=settings.log_level)
    adapters: AdapterSlot[GatewayAdapters] = AdapterSlot()
    broker = build_event_broker(settings, adapters)
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
        adapters.fill(GatewayAdapters(messages=visible, sessions=widget_sessions, live=live))
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
            rates=RateLimiter(redis, partial(redis_keys.rate_limit, settings.redis_prefix)),
            account_hours=AccountHours(
                mongo, settings.mongo_db, settings.gateway_account_hours_cache_seconds
            ),
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
        # The widget counts a rate limit's wait down for the visitor.
        expose_headers=["retry-after"],
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
