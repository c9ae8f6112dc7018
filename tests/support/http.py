"""Small HTTP and SSE clients for tests (httpx, with an SSE reader that records ids)."""

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

Frame = tuple[str, str | None, dict[str, Any]]  # (event type, id, data)


@dataclass
class SseRecorder:
    """Reads an SSE stream on a thread and keeps every frame: event type, id and data."""

    url: str
    headers: dict[str, str]
    frames: list[Frame] = field(default_factory=list)
    status: int | None = None
    error: str | None = None

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with (
                httpx.Client(timeout=httpx.Timeout(5.0, read=None)) as client,
                client.stream("GET", self.url, headers=self.headers) as response,
            ):
                self.status = response.status_code
                if response.status_code != 200:
                    self.error = f"status {response.status_code}: {response.read()!r}"
                    return
                event, event_id, data = "message", None, []
                for line in response.iter_lines():
                    if self._stop.is_set():
                        return
                    if line.startswith("event:"):
                        event = line[6:].strip()
                    elif line.startswith("id:"):
                        event_id = line[3:].strip()
                    elif line.startswith("data:"):
                        data.append(line[5:].lstrip())
                    elif line == "" and data:
                        self.frames.append((event, event_id, json.loads("\n".join(data))))
                        event, event_id, data = "message", None, []
        except Exception as exc:
            if not self._stop.is_set():
                self.error = repr(exc)

    @property
    def events(self) -> list[tuple[str | None, dict[str, Any]]]:
        """(id, data) of every frame, whatever its event type."""
        return [(event_id, data) for _, event_id, data in list(self.frames)]

    def messages(self) -> list[dict[str, Any]]:
        return [data for _, data in self.events]

    def wait_for(self, predicate: Any, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages():
                if predicate(message):
                    return message
            if self.error:
                raise AssertionError(f"stream failed: {self.error}")
            time.sleep(0.05)
        raise AssertionError(f"no matching message within {timeout}s; got {self.messages()}")

    def close(self) -> None:
        self._stop.set()


class TypedStream:
    """An SSE stream read on a thread (SseRecorder), looked at by event type."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self._stream = SseRecorder(url, headers)

    @property
    def frames(self) -> list[Frame]:
        return self._stream.frames

    @property
    def status(self) -> int | None:
        return self._stream.status

    @property
    def error(self) -> str | None:
        return self._stream.error

    def of(self, event: str) -> list[dict[str, Any]]:
        return [data for name, _, data in list(self.frames) if name == event]

    @property
    def last_id(self) -> str | None:
        ids = [event_id for _, event_id, _ in list(self.frames) if event_id]
        return ids[-1] if ids else None

    def wait_for(
        self, event: str, predicate: Callable[[dict[str, Any]], bool], timeout: float = 15.0
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for data in self.of(event):
                if predicate(data):
                    return data
            if self.error:
                raise AssertionError(f"stream failed: {self.error}")
            time.sleep(0.05)
        raise AssertionError(f"no {event} frame matched within {timeout}s; got {self.frames}")

    def close(self) -> None:
        self._stream.close()
