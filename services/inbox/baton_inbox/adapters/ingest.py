"""The ingest service's job API, called from the inbox backend so teammates' browsers only ever
talk to the inbox (one origin, one session, one CSP)."""

from typing import Any

import httpx

from baton_inbox.adapters.ingest_paths import path_id
from baton_runtime.errors import ApiError


class IngestClient:
    def __init__(self, base_url: str, timeout_seconds: float, token: str | None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), timeout=timeout_seconds, headers=headers
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def upload(
        self, bot_id: str, files: list[tuple[str, bytes, str]], base_url: str, name: str
    ) -> dict[str, Any]:
        return await self._call(
            "POST",
            f"/v1/bots/{path_id('bot', bot_id)}/ingest/uploads",
            files=[("files", file) for file in files],
            data={"base_url": base_url, "name": name},
        )

    async def start_job(
        self, bot_id: str, kind: str, location: str, max_pages: int
    ) -> dict[str, Any]:
        """Read a page, a sitemap or a site into the bot (the ingest service fetches it)."""
        return await self._call(
            "POST",
            f"/v1/bots/{path_id('bot', bot_id)}/ingest/jobs",
            json={"kind": kind, "location": location, "max_pages": max_pages},
        )

    async def job(self, job_id: str) -> dict[str, Any]:
        return await self._call("GET", f"/v1/ingest/jobs/{path_id('job', job_id)}")

    async def jobs(self, bot_id: str) -> dict[str, Any]:
        return await self._call("GET", f"/v1/bots/{path_id('bot', bot_id)}/ingest/jobs")

    async def sources(self, bot_id: str) -> dict[str, Any]:
        return await self._call("GET", f"/v1/bots/{path_id('bot', bot_id)}/sources")

    async def delete_source(self, bot_id: str, source_id: str) -> dict[str, Any]:
        return await self._call(
            "DELETE", f"/v1/bots/{path_id('bot', bot_id)}/sources/{path_id('source', source_id)}"
        )

    async def delete_bot(self, bot_id: str) -> dict[str, Any]:
        """Drop the bot's knowledge and job records; 409 `job_running` while a job reads."""
        return await self._call("DELETE", f"/v1/bots/{path_id('bot', bot_id)}")

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = await self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise ApiError(502, "ingest_unreachable", f"the ingest service: {exc!r}") from exc
        try:
            body: dict[str, Any] = response.json()
        except ValueError:
            body = {}
        if response.is_success:
            return body
        error = body.get("error") or {}
        if response.status_code in (401, 403):
            # The inbox's own credentials, not the teammate's: relaying a 401 would send the
            # page to the login screen for a configuration mistake.
            raise ApiError(
                502,
                "ingest_unauthorized",
                "the ingest service refused the inbox: set the same BATON_INGEST_API_TOKEN "
                f"for both ({error.get('message', response.status_code)})",
            )
        # The ingest service speaks the same error shape; a 4xx of its own is the caller's
        # problem (an unsupported file, a job already running), anything else is a bad gateway.
        status = response.status_code if 400 <= response.status_code < 500 else 502
        raise ApiError(
            status,
            str(error.get("code", "ingest_failed")),
            str(error.get("message", f"ingest answered {response.status_code}")),
            error.get("field"),
        )
