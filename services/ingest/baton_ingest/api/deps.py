"""Request dependencies of the ingest API: the shared service token and the app's services."""

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from baton_ingest.jobs import JobRunner
from baton_ingest.settings import IngestSettings
from baton_retrieval.embedder import Embedder
from baton_retrieval.store import KnowledgeStore
from baton_runtime.errors import ApiError

# auto_error=False: a missing token gets our error shape and reason, not FastAPI's 403.
_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ServiceToken",
    description="The shared ingest API token (BATON_INGEST_API_TOKEN).",
)


# async: FastAPI runs a plain `def` dependency in its thread pool, a thread hop per request.
async def get_settings(request: Request) -> IngestSettings:
    settings: IngestSettings = request.app.state.settings
    return settings


async def get_runner(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.jobs
    return runner


async def get_store(request: Request) -> KnowledgeStore:
    store: KnowledgeStore = request.app.state.store
    return store


async def get_embedder(request: Request) -> Embedder:
    embedder: Embedder = request.app.state.embedder
    return embedder


Settings = Annotated[IngestSettings, Depends(get_settings)]
EmbedderDep = Annotated[Embedder, Depends(get_embedder)]
Runner = Annotated[JobRunner, Depends(get_runner)]
Store = Annotated[KnowledgeStore, Depends(get_store)]


async def require_service_token(
    settings: Settings,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """The ingest API reads folders on its own machine and fetches URLs for any bot: only
    Baton's own callers (the inbox, an operator's CLI) hold the token."""
    if credentials is None:
        raise ApiError(
            401,
            "token_required",
            "send the ingest API token as Authorization: Bearer (BATON_INGEST_API_TOKEN)",
        )
    expected = settings.ingest_api_token.get_secret_value().encode()
    if not hmac.compare_digest(credentials.credentials.encode(), expected):
        raise ApiError(
            401,
            "invalid_token",
            "the ingest API token is wrong: caller and ingest need the same BATON_INGEST_API_TOKEN",
        )
