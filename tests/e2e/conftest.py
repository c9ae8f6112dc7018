"""e2e fixtures: the stack that `make up` / `make run` started, described by .baton/run.json,
and one isolated Baton shared by the widget and the inbox browser tests."""

import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.inbox_harness import MailSink
from tests.support.isolated import ROOT, IsolatedSystem, free_port


@pytest.fixture(scope="session")
def run_info() -> dict[str, Any]:
    path = ROOT / ".baton" / "run.json"
    if not path.exists():
        pytest.fail("no .baton/run.json: start the stack with `make up` (make test does it)")
    info: dict[str, Any] = json.loads(path.read_text())
    return info


@dataclass
class BrowserSystem:
    system: IsolatedSystem
    sink: MailSink
    work: Path  # a folder of the session's own, for mail and pages written by the tests


@pytest.fixture(scope="session")
def browser_system() -> Iterator[BrowserSystem]:
    """One isolated Baton for both browser packages (each seeds accounts of its own): starting
    a copy of the services took 25-30 s of the suite per package."""
    work = Path(tempfile.mkdtemp(prefix="baton-browser-e2e-"))
    sink = MailSink.start(work / "mail")
    system = IsolatedSystem(
        overrides={
            # No bot cache: a test that changes a bot's settings sees them on the next request.
            "BATON_GATEWAY_BOT_CACHE_SECONDS": "0",
            # Account settings changed by a test reach the widget state at the next heartbeat.
            "BATON_GATEWAY_ACCOUNT_HOURS_CACHE_SECONDS": "0",
            "BATON_AGENT_ACCOUNT_HOURS_CACHE_SECONDS": "0",
            "BATON_INBOX_SMTP_PORT": str(sink.port),
            "BATON_INBOX_SSE_HEARTBEAT_SECONDS": "2",
            "BATON_HANDOFF_HANDBACK_IDLE_SECONDS": "600",
            # Response targets run out in real time: the inbox checks every second.
            "BATON_INBOX_RESPONSE_CHECK_SECONDS": "1",
        }
    )
    # The Bots page's uploads go to an ingest process of the copy's own; its embed snippet
    # names the copy's gateway.
    system.ports["ingest"] = free_port()
    system.overrides["BATON_INBOX_INGEST_URL"] = system.url("ingest")
    system.overrides["BATON_INBOX_GATEWAY_PUBLIC_URL"] = system.url("gateway")
    system.overrides["BATON_INBOX_PUBLIC_URL"] = system.url("inbox")
    try:
        system.start("ingest")
        system.start_all()
        system.wait_ready("ingest")
        yield BrowserSystem(system, sink, work)
    finally:
        system.discard()
        sink.stop()
