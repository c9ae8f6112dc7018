"""Server-Sent Events read by hand from a stream's lines: frames with event type, id and data."""

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class SseFrame:
    event: str
    event_id: str | None
    data: dict[str, Any]


class SseFrameBuilder:
    """Feeds lines in, gets a frame out at each blank line that ends one with data."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._event = "message"
        self._event_id: str | None = None
        self._data: list[str] = []

    def feed(self, line: str) -> SseFrame | None:
        if line == "":
            frame = None
            if self._data:
                payload = json.loads("\n".join(self._data))
                data = payload if isinstance(payload, dict) else {"value": payload}
                frame = SseFrame(self._event, self._event_id, data)
            self._reset()
            return frame
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            self._event = value
        elif field == "id":
            self._event_id = value
        elif field == "data":
            self._data.append(value)
        return None  # comments (": keep-alive") and retry: hints


async def sse_frames(response: httpx.Response) -> AsyncIterator[SseFrame]:
    async for frame in frames_of(response.aiter_lines()):
        yield frame


async def frames_of(lines: AsyncIterator[str]) -> AsyncIterator[SseFrame]:
    builder = SseFrameBuilder()
    async for line in lines:
        frame = builder.feed(line.rstrip("\r"))
        if frame is not None:
            yield frame
