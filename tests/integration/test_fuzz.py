"""The fuzz stage (issue 17): schemathesis against the gateway's and the inbox's OpenAPI with a
visitor's and an owner's credentials and the widget's Origin, a fixed seed and a time budget
(BATON_FUZZ_SECONDS per API, 20 by default; `make fuzz` gives it more). It fails on any 5xx
and on a documented response that breaks its schema. The live streams, which the fuzzer cannot
read whole, are opened by hand with hostile resume positions: each must answer 4xx or stay open
after its 200."""

import json
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.fuzz import FuzzRun, fuzz
from tests.support.isolated import ROOT, IsolatedSystem, free_port, run_json
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration

ORIGIN = "http://fuzz.test:9999"
PASSWORD = "fuzz-owner-password-1"
BUDGET_SECONDS = int(os.environ.get("BATON_FUZZ_SECONDS", "20"))
HOSTILE_POSITIONS = ["99999999999999999999", "-5", "1e3", "%00", "1.99999999999999999999999"]


class Stack:
    def __init__(self, system: IsolatedSystem, bot_key: str, owner_token: str) -> None:
        self.system, self.bot_key, self.owner_token = system, bot_key, owner_token


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    """Every service fuzzed, with the ingest service the inbox's bot routes call."""
    system = IsolatedSystem()
    system.ports["ingest"] = free_port()
    system.overrides.update(
        {
            "BATON_INBOX_INGEST_URL": system.url("ingest"),
            "BATON_INBOX_DIGEST_ENABLED": "false",
            "BATON_INBOX_SIGNUPS_PER_IP": "100000",
        }
    )
    try:
        system.start("ingest")
        system.start_all()
        system.wait_ready("ingest")
        suffix = uuid.uuid4().hex[:8]
        email = f"fuzz-{suffix}@example.test"
        run_json(
            str(ROOT / ".venv/bin/baton-inbox-admin"),
            "seed-demo",
            "--account-name",
            f"fuzz-{suffix}",
            "--email",
            email,
            "--password",
            PASSWORD,
            "--bot-key",
            f"fuzz-{suffix}",
            "--allowed-origin",
            ORIGIN,
            env=system.env,
        )
        login = httpx.post(
            f"{system.url('inbox')}/v1/auth/login", json={"email": email, "password": PASSWORD}
        )
        login.raise_for_status()
        yield Stack(system, f"fuzz-{suffix}", str(login.json()["token"]))
    finally:
        system.discard()


def report(name: str, run: FuzzRun) -> str:
    """The counts the issue asks for, kept in .baton/fuzz/<api>.json after every run."""
    folder = ROOT / ".baton" / "fuzz"
    folder.mkdir(parents=True, exist_ok=True)
    counts = {
        "requests": run.requests,
        "server_errors": run.server_errors,
        "seconds": BUDGET_SECONDS,
    }
    (folder / f"{name}.json").write_text(json.dumps(counts) + "\n")
    return f"fuzz {name}: {run.requests} requests, {run.server_errors} 5xx, exit {run.exit_code}"


@pytest.mark.timeout(BUDGET_SECONDS + 600)
def test_the_gateway_api_under_fuzzing(stack: Stack, tmp_path: Path) -> None:
    visitor = Visitor.open(stack.system.url("gateway"), ORIGIN, stack.bot_key)
    run = fuzz(stack.system.url("gateway"), visitor.headers, BUDGET_SECONDS, tmp_path)
    summary = report("gateway", run)
    assert run.requests > 0, run.output[-3000:]
    assert run.server_errors == 0 and run.exit_code == 0, f"{summary}\n{run.output[-6000:]}"


@pytest.mark.timeout(BUDGET_SECONDS + 600)
def test_the_inbox_api_under_fuzzing(stack: Stack, tmp_path: Path) -> None:
    headers = {"Authorization": f"Bearer {stack.owner_token}", "Origin": stack.system.url("inbox")}
    run = fuzz(stack.system.url("inbox"), headers, BUDGET_SECONDS, tmp_path)
    summary = report("inbox", run)
    assert run.requests > 0, run.output[-3000:]
    assert run.server_errors == 0 and run.exit_code == 0, f"{summary}\n{run.output[-6000:]}"


def stays_open_or_refuses(url: str, headers: dict[str, str], params: dict[str, str]) -> None:
    with httpx.stream("GET", url, headers=headers, params=params, timeout=10) as response:
        if 400 <= response.status_code < 500:
            return
        assert response.status_code == 200, (url, params, response.status_code)
        opened = time.monotonic()
        for _chunk in response.iter_text():
            if time.monotonic() - opened > 2.5:
                return
        pytest.fail(f"{url} {params} {headers.get('Last-Event-ID')}: closed after its 200")


@pytest.mark.parametrize("position", HOSTILE_POSITIONS)
def test_streams_refuse_or_stay_open_with_hostile_positions(stack: Stack, position: str) -> None:
    visitor = Visitor.open(stack.system.url("gateway"), ORIGIN, stack.bot_key)
    widget = f"{stack.system.url('gateway')}/v1/widget/threads/{visitor.thread_id}/stream"
    stays_open_or_refuses(widget, visitor.headers, {"after": position})
    stays_open_or_refuses(widget, {**visitor.headers, "Last-Event-ID": position}, {})
    staff = {"Authorization": f"Bearer {stack.owner_token}"}
    inbox = f"{stack.system.url('inbox')}/v1/stream"
    stays_open_or_refuses(inbox, staff, {"cursor": f"1.{position}"})
