"""Whether an internal service serves /docs and /openapi.json.

Handoff, agent and ingest are reached only by Baton itself; outside local development their
API pages tell a stranger inside the cluster what to call, so they are off unless
BATON_API_DOCS=true. (The gateway's and the inbox's are public API, documented under docs/api.)
"""

from typing import Any

from baton_runtime.settings import CommonSettings


def api_docs_urls(settings: CommonSettings) -> dict[str, Any]:
    """FastAPI(...) keyword arguments: the default URLs, or none of them."""
    if settings.api_docs:
        return {}
    return {"docs_url": None, "redoc_url": None, "openapi_url": None}
