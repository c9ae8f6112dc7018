"""Waiting in tests for something another process does: a bounded wait, never a timing check."""

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(
    read: Callable[[], T], holds: Callable[[T], bool], within: float, poll: float = 0.05
) -> T:
    """Read until `holds` is true of the value; fail naming the last value after `within` s."""
    started = time.monotonic()
    while not holds(value := read()):
        assert time.monotonic() - started < within, f"still {value!r} after {within} s"
        time.sleep(poll)
    return value
