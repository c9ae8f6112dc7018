"""e2e fixtures: the stack that `make up` / `make run` started, described by .baton/run.json."""

import json
from typing import Any

import pytest

from tests.support.isolated import ROOT


@pytest.fixture(scope="session")
def run_info() -> dict[str, Any]:
    path = ROOT / ".baton" / "run.json"
    if not path.exists():
        pytest.fail("no .baton/run.json: start the stack with `make up` (make test does it)")
    info: dict[str, Any] = json.loads(path.read_text())
    return info
