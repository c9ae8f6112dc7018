"""structlog set-up: JSON lines with the service name; handlers bind thread_id and event_id."""

import contextlib
import logging
import sys
from collections.abc import Iterator

import structlog


def configure_logging(service: str, *, json_output: bool, level: str = "INFO") -> None:
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if json_output
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    structlog.contextvars.bind_contextvars(service=service)
    # Library loggers (aiokafka, uvicorn) go through the standard logging module.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(name)s %(message)s")


@contextlib.contextmanager
def log_context(**values: str) -> Iterator[None]:
    """Bind `values` to every log line inside, and restore what each key held before.

    structlog's own `bound_contextvars` reads the whole context first (`get_contextvars`
    walks every context variable of every library: pymongo, anyio, faststream...), and was
    ~5% of the gateway's CPU around its event handlers; setting the keys' variables and
    resetting them with their tokens touches only these keys."""
    tokens = structlog.contextvars.bind_contextvars(**values)
    try:
        yield
    finally:
        structlog.contextvars.reset_contextvars(**tokens)
