"""A stopping server ends its live streams at once and cleanly, and still finishes the
plain requests in flight (baton_runtime.draining, through baton_runtime.serve and a real
uvicorn in a child process)."""

import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

APP = Path(__file__).parent / "fixtures" / "draining" / "app.py"
GRACEFUL_SECONDS = 10  # baton_runtime.serve: a stream that held the stop would take this long


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server() -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = _free_port()
    process = subprocess.Popen([sys.executable, str(APP), str(port)])
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/docs", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def test_a_stop_ends_open_streams_cleanly_and_at_once(
    server: tuple[subprocess.Popen[bytes], str],
) -> None:
    process, url = server
    with httpx.stream("GET", f"{url}/live/stream", timeout=30) as response:
        chunks = response.iter_text()
        assert next(chunks).startswith("retry:")
        stopped = time.monotonic()
        process.send_signal(signal.SIGTERM)
        # Reading to the end raises if the body was cut instead of closed.
        rest = "".join(chunks)
        ended = time.monotonic() - stopped
    assert ended < 3, f"the stream ran {ended:.1f} s into the stop"
    assert set(rest.split("\n\n")) <= {": keep-alive", ""}
    assert process.wait(timeout=GRACEFUL_SECONDS) is not None
    assert time.monotonic() - stopped < GRACEFUL_SECONDS / 2


def test_a_plain_request_in_flight_still_gets_its_answer(
    server: tuple[subprocess.Popen[bytes], str],
) -> None:
    process, url = server
    answers: list[httpx.Response] = []
    asking = threading.Thread(target=lambda: answers.append(httpx.get(f"{url}/slow", timeout=30)))
    asking.start()
    time.sleep(0.5)  # the request is in the handler's sleep
    process.send_signal(signal.SIGTERM)
    asking.join(timeout=15)
    assert [(a.status_code, a.text) for a in answers] == [(200, "done")]
    process.wait(timeout=GRACEFUL_SECONDS)
