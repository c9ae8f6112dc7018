"""log_context binds keys for the lines inside and restores each key's earlier value after,
also when the block raises, and leaves other keys alone."""

import pytest
import structlog

from baton_runtime.logging import log_context


@pytest.fixture(autouse=True)
def clean_context() -> None:
    structlog.contextvars.clear_contextvars()


def test_keys_are_bound_inside_and_gone_after() -> None:
    structlog.contextvars.bind_contextvars(service="gateway")
    with log_context(thread_id="t-1", event_id="e-1"):
        assert structlog.contextvars.get_contextvars() == {
            "service": "gateway",
            "thread_id": "t-1",
            "event_id": "e-1",
        }
    assert structlog.contextvars.get_contextvars() == {"service": "gateway"}


def test_a_nested_binding_restores_the_outer_value() -> None:
    with log_context(thread_id="outer"):
        with log_context(thread_id="inner", event_id="e-2"):
            assert structlog.contextvars.get_contextvars()["thread_id"] == "inner"
        assert structlog.contextvars.get_contextvars() == {"thread_id": "outer"}


def test_an_exception_still_restores() -> None:
    with pytest.raises(RuntimeError), log_context(thread_id="t-3"):
        raise RuntimeError("handler failed")
    assert structlog.contextvars.get_contextvars() == {}
