"""Suite-wide set-up: which infrastructure the integration and e2e layers use."""

import functools
import os
import ssl
from collections.abc import Iterator
from typing import Any

import httpx
import httpx._transports.default as httpx_transports
import pytest

_create_ssl_context = httpx.create_ssl_context


@functools.lru_cache(maxsize=8)
def _shared_ssl_context(verify: Any, cert: Any, trust_env: bool) -> ssl.SSLContext:
    return _create_ssl_context(verify=verify, cert=cert, trust_env=trust_env)


def _reused_ssl_context(verify: Any = True, cert: Any = None, trust_env: bool = True) -> Any:
    """Every `httpx.get`/`post` and `httpx.Client()` of the tests builds an SSL context and
    loads the CA bundle into it, ~50 ms of CPU each, ~12% of the test process's CPU in a
    profile of `make test` (polling helpers call them in loops). One context per setting is
    shared instead; an SSL context may serve many connections and threads."""
    try:
        return _shared_ssl_context(verify, cert, trust_env)
    except TypeError:  # an unhashable setting: built as httpx would
        return _create_ssl_context(verify=verify, cert=cert, trust_env=trust_env)


# Where the transports look it up; fails loudly if an httpx upgrade moves it.
assert vars(httpx_transports)["create_ssl_context"] is _create_ssl_context
vars(httpx_transports)["create_ssl_context"] = _reused_ssl_context


@pytest.fixture(scope="session", autouse=True)
def test_infrastructure() -> Iterator[None]:
    if os.environ.get("BATON_TEST_INFRA") != "containers":
        yield  # the servers `make` started on loopback
        return
    from tests.support.containers import containers

    with containers():
        yield
