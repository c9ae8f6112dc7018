"""Composition root of the inbox service."""

import contextlib
from collections.abc import AsyncIterator
from importlib.resources import files

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from baton_inbox.adapters.accounts import AccountStore
from baton_inbox.adapters.threads import ThreadStore
from baton_inbox.api.deps import InboxServices
from baton_inbox.api.routes import auth, threads
from baton_inbox.handlers import register_handlers
from baton_inbox.settings import InboxSettings
from baton_runtime.errors import install_error_handlers
from baton_runtime.health import health_router
from baton_runtime.kafka import build_broker, consumer_identity, ensure_topics, topics_for
from baton_runtime.logging import configure_logging
from baton_runtime.stores import connect_mongo


def build_app(settings: InboxSettings) -> FastAPI:
    configure_logging("inbox", json_output=settings.log_json, level=settings.log_level)
    broker = build_broker(settings, client_id="baton-inbox")
    topics = topics_for(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        mongo = await connect_mongo(settings)
        thread_store = ThreadStore(mongo, settings.mongo_db)
        accounts = AccountStore(mongo, settings.mongo_db)
        await thread_store.ensure_indexes()
        await accounts.ensure_indexes()
        await ensure_topics(settings)
        register_handlers(
            broker, topics, thread_store, consumer=consumer_identity(settings, "inbox")
        )
        await broker.start()
        app.state.services = InboxServices(settings, broker, topics, accounts, thread_store)
        app.state.mongo = mongo
        try:
            yield
        finally:
            await broker.stop()
            await mongo.close()

    async def kafka_ready() -> None:
        if not await broker.ping(timeout=2.0):
            raise RuntimeError("kafka unreachable")

    async def mongo_ready() -> None:
        await app.state.mongo.admin.command("ping")

    app = FastAPI(title="Baton inbox", version="1", lifespan=lifespan)
    install_error_handlers(app)
    app.include_router(health_router({"kafka": kafka_ready, "mongo": mongo_ready}))
    app.include_router(auth.router)
    app.include_router(threads.router)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def inbox_page() -> str:
        return files("baton_inbox").joinpath("static/inbox.html").read_text()

    return app
