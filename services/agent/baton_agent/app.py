"""Composition root of the agent service."""

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from pymongo import AsyncMongoClient

from baton_agent.adapters.bot_settings import BotSettings
from baton_agent.adapters.mode_reader import ModeReader, verdict_signal_pattern
from baton_agent.adapters.staff_presence import StaffPresence
from baton_agent.adapters.staff_typing import StaffTyping
from baton_agent.adapters.thread_memory import ThreadMemoryStore
from baton_agent.handlers import register_handlers
from baton_agent.reply_flow import ReplyFlow
from baton_agent.settings import AgentSettings
from baton_answering.answerer import Answerer
from baton_answering.retriever import Retriever
from baton_retrieval.embedder import Embedder
from baton_retrieval.store import KnowledgeStore
from baton_runtime.api_docs import api_docs_urls
from baton_runtime.bot_changes import BotChangeFeed
from baton_runtime.errors import install_error_handlers
from baton_runtime.health import health_router
from baton_runtime.kafka import build_broker, consumer_identity, ensure_topics, topics_for
from baton_runtime.logging import configure_logging
from baton_runtime.pubsub_hub import PubSubHub
from baton_runtime.stores import connect_mongo, connect_redis
from baton_runtime.waiting import wait_for


def build_app(settings: AgentSettings) -> FastAPI:
    configure_logging("agent", json_output=settings.log_json, level=settings.log_level)
    broker = build_broker(settings, client_id="baton-agent")
    topics = topics_for(settings)
    holder: dict[str, KnowledgeStore] = {}
    mongo_holder: dict[str, AsyncMongoClient[dict[str, Any]]] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        redis = await connect_redis(settings)
        # Read-only: the bots' answering settings, which the inbox's Bots page writes.
        mongo = await connect_mongo(settings)
        mongo_holder["mongo"] = mongo

        async def connect_chroma() -> None:
            holder["store"] = await KnowledgeStore.connect(
                settings.chroma_host, settings.chroma_port
            )

        await wait_for(
            "chroma", connect_chroma, timeout_seconds=settings.dependency_timeout_seconds
        )
        answerer = Answerer(Retriever(holder["store"], Embedder()), settings.answering_config())
        memory = ThreadMemoryStore(redis, settings.redis_prefix)
        bot_settings = BotSettings(mongo, settings.mongo_db, settings.agent_bot_cache_seconds)
        flow = ReplyFlow(
            answerer,
            bot_settings,
            memory,
            StaffPresence(redis, settings.redis_prefix),
            settings.agent_offline_reply_expectation,
        )
        # One subscription per process wakes whichever handler waits for a message's verdict.
        verdict_signals = PubSubHub(redis, verdict_signal_pattern(settings.redis_prefix))
        await verdict_signals.start()
        await ensure_topics(settings)
        register_handlers(
            broker,
            topics,
            flow,
            memory,
            StaffTyping(redis, settings.redis_prefix),
            ModeReader(redis, settings.redis_prefix, verdict_signals),
            settings,
            consumer_identity(settings, "agent"),
        )
        bot_changes = BotChangeFeed(broker, topics, "agent", [bot_settings])
        await broker.start()
        await bot_changes.follow()
        try:
            yield
        finally:
            await broker.stop()
            await verdict_signals.stop()
            await redis.aclose()
            await mongo.close()

    async def kafka_ready() -> None:
        if not await broker.ping(timeout=2.0):
            raise RuntimeError("kafka unreachable")

    async def chroma_ready() -> None:
        await holder["store"].heartbeat()

    async def mongo_ready() -> None:
        await mongo_holder["mongo"].admin.command("ping")

    app = FastAPI(title="Baton agent", lifespan=lifespan, **api_docs_urls(settings))
    install_error_handlers(app)
    app.include_router(
        health_router({"kafka": kafka_ready, "chroma": chroma_ready, "mongo": mongo_ready})
    )
    return app
