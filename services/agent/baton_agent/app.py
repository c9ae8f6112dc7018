"""Composition root of the agent service."""

import contextlib
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Any

from fastapi import FastAPI
from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient

from baton_agent.adapters.bot_settings import BotSettings
from baton_agent.adapters.mode_reader import ModeReader
from baton_agent.adapters.staff_presence import StaffPresence
from baton_agent.adapters.staff_typing import StaffTyping
from baton_agent.adapters.thread_memory import ThreadMemoryStore
from baton_agent.handlers import register_handlers
from baton_agent.ports import AgentAdapters
from baton_agent.reply_flow import ReplyFlow
from baton_agent.settings import AgentSettings
from baton_answering.answerer import Answerer
from baton_answering.retriever import Retriever
from baton_contracts import redis_keys
from baton_events import AiReplyProposed, EscalationRaised
from baton_retrieval.embedder import Embedder
from baton_retrieval.embedding_models import EmbeddingModel
from baton_retrieval.store import KnowledgeStore
from baton_runtime.account_hours import AccountHours
from baton_runtime.api_docs import api_docs_urls
from baton_runtime.bot_changes import BotChangeFeed
from baton_runtime.errors import install_error_handlers
from baton_runtime.health import health_router
from baton_runtime.kafka import ensure_topics, subscribed_broker, topics_for
from baton_runtime.logging import configure_logging
from baton_runtime.metrics import metrics_router
from baton_runtime.publications import declare_publications
from baton_runtime.pubsub_hub import PubSubHub
from baton_runtime.stores import connect_mongo, connect_redis
from baton_runtime.waiting import wait_for
from baton_runtime.wiring import AdapterSlot


def build_event_broker(
    settings: AgentSettings, adapters: Callable[[], AgentAdapters]
) -> KafkaBroker:
    """The agent's broker and subscriber, wired to `adapters`: the real ones (build_app) or
    fakes (the unit tests)."""
    broker = subscribed_broker(
        settings, "agent", partial(register_handlers, adapters=adapters, settings=settings)
    )
    declare_publications(
        broker,
        topics_for(settings).conversation_events,
        "agent",
        (AiReplyProposed, EscalationRaised),
        "Proposed answers, which the handoff commits or suppresses, and escalations.",
    )
    return broker


def build_app(settings: AgentSettings) -> FastAPI:
    configure_logging("agent", json_output=settings.log_json, level=settings.log_level)
    adapters: AdapterSlot[AgentAdapters] = AdapterSlot()
    broker = build_event_broker(settings, adapters)
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
                settings.chroma_host,
                settings.chroma_port,
                EmbeddingModel(settings.embedding_model),
                read_cache_seconds=settings.agent_knowledge_handle_seconds,
                max_concurrent_reads=settings.agent_chroma_concurrency,
            )

        await wait_for(
            "chroma", connect_chroma, timeout_seconds=settings.dependency_timeout_seconds
        )
        answerer = Answerer(
            Retriever(
                holder["store"],
                Embedder(EmbeddingModel(settings.embedding_model), models_dir=settings.models_dir),
            ),
            settings.answering_config(),
        )
        await answerer.warm_up()
        memory = ThreadMemoryStore(redis, settings.redis_prefix)
        bot_settings = BotSettings(mongo, settings.mongo_db, settings.agent_bot_cache_seconds)
        flow = ReplyFlow(
            answerer,
            bot_settings,
            memory,
            StaffPresence(redis, settings.redis_prefix),
            settings.agent_offline_reply_expectation,
            AccountHours(mongo, settings.mongo_db, settings.agent_account_hours_cache_seconds),
        )
        # One subscription per process wakes whichever handler waits for a message's verdict.
        verdict_signals = PubSubHub(
            redis, redis_keys.mode_at_message_signal_pattern(settings.redis_prefix)
        )
        await verdict_signals.start()
        await ensure_topics(settings)
        adapters.fill(
            AgentAdapters(
                flow=flow,
                memory=memory,
                typing=StaffTyping(redis, settings.redis_prefix),
                modes=ModeReader(redis, settings.redis_prefix, verdict_signals),
            )
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
    app.include_router(metrics_router())
    app.include_router(
        health_router({"kafka": kafka_ready, "chroma": chroma_ready, "mongo": mongo_ready})
    )
    return app
