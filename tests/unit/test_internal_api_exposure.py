"""The internal services' API pages are off unless a dev setting enables them, and the
handoff's mode API answers a token or loopback only (issue 17)."""

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from baton_agent.app import build_app as build_agent
from baton_agent.settings import AgentSettings
from baton_handoff.app import build_app as build_handoff
from baton_handoff.settings import HandoffSettings
from baton_ingest.app import build_app as build_ingest
from baton_ingest.settings import IngestSettings

SECRET = SecretStr("exposure-test-secret-0123")


def internal_apps(**settings: Any) -> list[FastAPI]:
    return [
        build_agent(AgentSettings(token_secret=SECRET, **settings)),
        build_handoff(HandoffSettings(token_secret=SECRET, **settings)),
        build_ingest(IngestSettings(token_secret=SECRET, ingest_api_token=SECRET, **settings)),
    ]


@pytest.mark.parametrize("path", ["/docs", "/openapi.json", "/redoc"])
def test_internal_api_pages_are_off_by_default(path: str) -> None:
    for app in internal_apps():
        assert TestClient(app).get(path).status_code == 404, (app.title, path)


def test_a_dev_setting_serves_them() -> None:
    for app in internal_apps(api_docs=True):
        assert TestClient(app).get("/openapi.json").status_code == 200, app.title


class NoModes:
    async def read(self, thread_id: str) -> None:
        return None


def test_the_mode_api_answers_loopback_only_without_a_token() -> None:
    app = build_handoff(HandoffSettings(token_secret=SECRET))
    app.state.mode_store = NoModes()
    remote = TestClient(app, client=("10.1.2.3", 5000)).get("/v1/threads/t-1/mode")
    assert remote.status_code == 403 and remote.json()["error"]["code"] == "loopback_only"
    local = TestClient(app, client=("127.0.0.1", 5000)).get("/v1/threads/t-1/mode")
    assert local.status_code == 404  # served: no mode recorded for this thread


def test_the_mode_api_needs_its_token_when_one_is_set() -> None:
    app = build_handoff(
        HandoffSettings(token_secret=SECRET, handoff_api_token=SecretStr("mode-token"))
    )
    app.state.mode_store = NoModes()
    client = TestClient(app, client=("127.0.0.1", 5000))
    assert client.get("/v1/threads/t-1/mode").status_code == 401
    wrong = client.get("/v1/threads/t-1/mode", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    right = client.get("/v1/threads/t-1/mode", headers={"Authorization": "Bearer mode-token"})
    assert right.status_code == 404
