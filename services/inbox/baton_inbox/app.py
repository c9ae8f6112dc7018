"""Composition root of the inbox service."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from functools import partial

from fastapi import FastAPI
from faststream.kafka import KafkaBroker

from baton_contracts import redis_keys
from baton_events import (
    HandbackRequested,
    StaffReplied,
    StandbyRequested,
    ThreadClosed,
    Topics,
)
from baton_events.bots import BotChanged
from baton_inbox.adapters.account_settings import AccountSettingsStore
from baton_inbox.adapters.accounts import AccountStore
from baton_inbox.adapters.bot_accounts import BotAccounts, mongo_bot_owner
from baton_inbox.adapters.digests import DigestStore
from baton_inbox.adapters.ingest import IngestClient
from baton_inbox.adapters.links import OneTimeLinks
from baton_inbox.adapters.notes import NoteStore
from baton_inbox.adapters.presence import PresenceStore
from baton_inbox.adapters.reports import ReportStore
from baton_inbox.adapters.response_clock import ResponseClockStore
from baton_inbox.adapters.sessions import RevokedSessions
from baton_inbox.adapters.staff_online import StaffOnline
from baton_inbox.adapters.threads import ThreadStore
from baton_inbox.api.deps import InboxServices
from baton_inbox.api.routes import (
    account_settings,
    accounts,
    auth,
    bot_jobs,
    bot_sources,
    bots,
    collab,
    pages,
    reports,
    stream,
    team,
    threads,
)
from baton_inbox.digest_job import run_digest_schedule
from baton_inbox.handlers import register_handlers
from baton_inbox.ingest_events import register_ingest_handlers
from baton_inbox.live.hub import LiveHub
from baton_inbox.live.jobs import BotJobStream
from baton_inbox.live.publisher import LivePublisher
from baton_inbox.live.stream import StaffStream
from baton_inbox.mail.sender import SmtpMailSender
from baton_inbox.ports import InboxAdapters
from baton_inbox.response_alert_job import ResponseAlerts, run_response_alerts
from baton_inbox.security import SecurityHeaders
from baton_inbox.settings import InboxSettings
from baton_runtime.attempts import FailedAttempts
from baton_runtime.errors import install_error_handlers
from baton_runtime.health import health_router
from baton_runtime.kafka import (
    ConsumerIdentity,
    consumer_identity,
    ensure_topics,
    subscribed_broker,
    topics_for,
)
from baton_runtime.logging import configure_logging
from baton_runtime.metrics import metrics_router
from baton_runtime.publications import declare_publications
from baton_runtime.stores import connect_mongo, connect_redis
from baton_runtime.wiring import AdapterSlot


def build_event_broker(
    settings: InboxSettings, adapters: Callable[[], InboxAdapters]
) -> KafkaBroker:
    """The inbox's broker and subscribers, wired to `adapters`: the real stores (build_app)
    or fakes (the unit tests)."""

    def register(broker: KafkaBroker, topics: Topics, consumer: ConsumerIdentity) -> None:
        register_handlers(broker, topics, consumer, adapters=adapters)
        # Its own group: job events are fanned out to the Bots pages, apart from the threads.
        ingest_group = consumer_identity(settings, "inbox-ingest")
        register_ingest_handlers(broker, topics, ingest_group, adapters=adapters)

    broker = subscribed_broker(settings, "inbox", register)
    topics = topics_for(settings)
    declare_publications(
        broker,
        topics.conversation_events,
        "inbox",
        (StaffReplied, StandbyRequested, HandbackRequested, ThreadClosed),
        "What teammates do to a thread from the inbox: reply, stand by, hand back, close.",
    )
    declare_publications(
        broker,
        topics.bot_events,
        "inbox",
        (BotChanged,),
        "Every write of a bot's settings (the Bots page), keyed by bot_id.",
    )
    return broker


def build_app(settings: InboxSettings) -> FastAPI:
    configure_logging("inbox", json_output=settings.log_json, level=settings.log_level)
    adapters: AdapterSlot[InboxAdapters] = AdapterSlot()
    broker = build_event_broker(settings, adapters)
    topics = topics_for(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        mongo = await connect_mongo(settings)
        redis = await connect_redis(settings)
        db, prefix = settings.mongo_db, settings.redis_prefix
        thread_store = ThreadStore(mongo, db)
        accounts_store = AccountStore(mongo, db)
        account_settings_store = AccountSettingsStore(mongo, db)
        reports_store = ReportStore(mongo, db)
        await reports_store.ensure_indexes()
        notes = NoteStore(mongo, db)
        links = OneTimeLinks(mongo, db)
        for store in (thread_store, accounts_store, notes, links):
            await store.ensure_indexes()
        presence = PresenceStore(redis, prefix)
        live = LivePublisher(redis, prefix)
        ingest = IngestClient(
            settings.inbox_ingest_url,
            settings.inbox_ingest_timeout_seconds,
            settings.ingest_api_token.get_secret_value() if settings.ingest_api_token else None,
        )
        hub = LiveHub(redis, prefix)
        await hub.start()
        await ensure_topics(settings)
        adapters.fill(
            InboxAdapters(
                threads=thread_store, live=live, bots=BotAccounts(mongo_bot_owner(mongo, db))
            )
        )
        await broker.start()
        app.state.services = InboxServices(
            settings=settings,
            broker=broker,
            topics=topics,
            accounts=accounts_store,
            account_settings=account_settings_store,
            reports=reports_store,
            threads=thread_store,
            notes=notes,
            links=links,
            presence=presence,
            sessions=RevokedSessions(redis, prefix),
            live=live,
            stream=StaffStream(
                thread_store,
                notes,
                presence,
                hub,
                heartbeat_seconds=settings.inbox_sse_heartbeat_seconds,
                backlog_limit=settings.inbox_stream_backlog_limit,
            ),
            mail=SmtpMailSender(settings),
            online=StaffOnline(redis, prefix),
            ingest=ingest,
            attempts=FailedAttempts(redis, partial(redis_keys.failed_attempts, prefix)),
            job_stream=BotJobStream(hub, heartbeat_seconds=settings.inbox_sse_heartbeat_seconds),
        )
        app.state.mongo, app.state.redis, app.state.hub = mongo, redis, hub
        digests = DigestStore(mongo, db)
        await digests.ensure_indexes()
        response_clock = ResponseClockStore(mongo, db)
        await response_clock.ensure_indexes()
        response_alerts = ResponseAlerts(
            response_clock,
            account_settings_store,
            accounts_store,
            live,
            app.state.services.mail,
            settings.inbox_public_url,
        )
        response_task = asyncio.create_task(
            run_response_alerts(response_alerts, settings.inbox_response_check_seconds)
        )
        digest_task = (
            asyncio.create_task(
                run_digest_schedule(
                    settings,
                    digests,
                    accounts_store,
                    account_settings_store,
                    app.state.services.mail,
                )
            )
            if settings.inbox_digest_enabled
            else None
        )
        try:
            yield
        finally:
            response_task.cancel()
            if digest_task is not None:
                digest_task.cancel()
            await broker.stop()
            await ingest.aclose()
            await hub.stop()
            await redis.aclose()
            await mongo.close()

    async def kafka_ready() -> None:
        if not await broker.ping(timeout=2.0):
            raise RuntimeError("kafka unreachable")

    async def mongo_ready() -> None:
        await app.state.mongo.admin.command("ping")

    async def redis_ready() -> None:
        await app.state.redis.ping()
        if not app.state.hub.connected:
            raise RuntimeError("live subscription down")

    app = FastAPI(title="Baton inbox", version="1", lifespan=lifespan)
    app.add_middleware(SecurityHeaders)
    install_error_handlers(app)
    app.include_router(metrics_router())
    app.include_router(
        health_router({"kafka": kafka_ready, "mongo": mongo_ready, "redis": redis_ready})
    )
    for router in (
        auth.router,
        auth.me_router,
        accounts.router,
        account_settings.router,
        team.staff_router,
        team.invites_router,
        threads.router,
        collab.router,
        bot_jobs.router,  # before bots.router, whose /{bot_id}/jobs/{job_id} would match
        bots.router,
        bot_sources.router,
        reports.router,
        stream.router,
        pages.router,
    ):
        app.include_router(router)
    return app
