"""Suite-wide set-up: which infrastructure the integration and e2e layers use."""

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def test_infrastructure() -> Iterator[None]:
    if os.environ.get("BATON_TEST_INFRA") != "containers":
        yield  # the servers `make` started on loopback
        return
    from tests.support.containers import containers

    with containers():
        yield
