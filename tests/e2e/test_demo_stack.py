"""The demo stack as a visitor and a teammate meet it: public HTTP and SSE only."""

import subprocess
import sys
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.support.isolated import ROOT
from tests.support.widget import Visitor

pytestmark = pytest.mark.e2e
CONTRACT = ROOT.parent / "shared" / "contract" / "widget_smoke.py"


def demo_origin(run_info: dict[str, Any]) -> str:
    parts = urlsplit(run_info["widget_demo_url"])
    return f"{parts.scheme}://{parts.netloc}"


def test_demo_question_is_answered_with_a_source_within_two_seconds(
    run_info: dict[str, Any],
) -> None:
    visitor = Visitor.open(run_info["gateway_url"], demo_origin(run_info), run_info["bot_key"])
    stream = visitor.stream()
    try:
        time.sleep(0.2)
        started = time.monotonic()
        assert visitor.send("How do I import my contacts?").status_code == 202
        answer = stream.wait_for(lambda m: m["author"] == "ai", timeout=5)
        elapsed = time.monotonic() - started
    finally:
        stream.close()
    assert answer["sources"] and answer["sources"][0]["url"].startswith(
        demo_origin(run_info) + "/help/"
    )
    assert elapsed < 2.0, f"answer took {elapsed:.2f}s"
    # the cited page is served by the demo site
    page = httpx.get(answer["sources"][0]["url"].split("#")[0])
    assert page.status_code == 200 and "<h1>" in page.text


def test_widget_contract_from_shared(run_info: dict[str, Any]) -> None:
    if not CONTRACT.exists():
        pytest.fail(f"contract check missing at {CONTRACT}")
    result = subprocess.run(
        [sys.executable, str(CONTRACT)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_demo_page_embeds_widget_and_gateway_serves_it(run_info: dict[str, Any]) -> None:
    page = httpx.get(run_info["widget_demo_url"])
    assert page.status_code == 200
    assert f'data-bot="{run_info["bot_key"]}"' in page.text
    script = httpx.get(f"{run_info['gateway_url']}/widget.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("application/javascript")
    assert "attachShadow" in script.text


def test_staff_login_from_run_json_sees_demo_threads(run_info: dict[str, Any]) -> None:
    inbox = run_info["inbox_url"]
    login = httpx.post(
        f"{inbox}/v1/auth/login",
        json={"email": run_info["staff_email"], "password": run_info["staff_password"]},
    )
    assert login.status_code == 200, login.text
    visitor = Visitor.open(
        run_info["gateway_url"], demo_origin(run_info), run_info["bot_key"], name="E2E visitor"
    )
    visitor.send("How do I connect my Outlook mailbox?")
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    deadline = time.monotonic() + 10
    while True:
        response = httpx.get(f"{inbox}/v1/threads/{visitor.thread_id}", headers=headers)
        if response.status_code == 200 and any(
            m["author"] == "ai" for m in response.json()["messages"]
        ):
            break
        assert time.monotonic() < deadline, response.text
        time.sleep(0.1)
    thread = response.json()
    assert thread["visitor"]["name"] == "E2E visitor"
    ai = next(m for m in thread["messages"] if m["author"] == "ai")
    assert ai["sources"] and 0 < ai["confidence"] <= 1
    assert httpx.get(f"{inbox}/").status_code == 200


@pytest.mark.parametrize(
    "service", ["gateway_url", "inbox_url", "agent_url", "handoff_url", "ingest_url"]
)
def test_every_service_reports_health_and_readiness(run_info: dict[str, Any], service: str) -> None:
    for path in ("/healthz", "/readyz"):
        response = httpx.get(f"{run_info[service]}{path}")
        assert response.status_code == 200, (service, path, response.text)
