"""A visitor that outlasts outages, as the widget does: it retries a message with the same
client message id until the gateway accepts it (the gateway derives the message id from it,
so a retry is the same message), and reconnects its stream from the last position it saw
for as long as it lives. Every frame is kept, repeats included, for the audit."""

import asyncio
import contextlib
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import structlog

from tests.bench.load.sse import sse_frames
from tests.bench.load.stack import Stack

log = structlog.get_logger()
REQUEST_TIMEOUT = httpx.Timeout(10.0)
STREAM_TIMEOUT = httpx.Timeout(10.0, read=None)
RETRY_AFTER_S = 1.0


@dataclass
class EnduringVisitor:
    stack: Stack
    client: httpx.AsyncClient
    thread_id: str = ""
    token: str = ""
    frames: list[dict[str, Any]] = field(default_factory=list)  # every message frame, in order
    sent: list[str] = field(default_factory=list)  # accepted visitor message ids
    refused: int = 0  # messages never accepted before their deadline
    server_errors: list[float] = field(default_factory=list)  # monotonic times of 5xx answers
    _seen: dict[str, asyncio.Event] = field(default_factory=dict)
    _reader: asyncio.Task[None] | None = None

    @classmethod
    def new(cls, stack: Stack, source_address: str) -> "EnduringVisitor":
        transport = httpx.AsyncHTTPTransport(local_address=source_address)
        return cls(stack, httpx.AsyncClient(transport=transport, timeout=REQUEST_TIMEOUT))

    def _note(self, response: httpx.Response) -> None:
        if response.status_code >= 500:
            self.server_errors.append(time.monotonic())

    def _headers(self) -> dict[str, str]:
        headers = {"Origin": self.stack.widget_origin}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    async def open(self, deadline_s: float) -> bool:
        deadline = time.monotonic() + deadline_s
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                response = await self.client.post(
                    f"{self.stack.gateway_url}/v1/widget/sessions",
                    json={"bot_key": self.stack.bot_key, "visitor": {}},
                    headers=self._headers(),
                )
                self._note(response)
                if response.is_success:
                    body = response.json()
                    self.thread_id, self.token = body["thread_id"], body["visitor_token"]
                    self._reader = asyncio.create_task(self._read_stream())
                    return True
            await asyncio.sleep(RETRY_AFTER_S)
        return False

    async def _read_stream(self) -> None:
        url = f"{self.stack.gateway_url}/v1/widget/threads/{self.thread_id}/stream"
        last_position: str | None = None
        connection = 0
        while True:
            connection += 1
            headers = self._headers()
            if last_position is not None:
                headers["Last-Event-ID"] = last_position
            try:
                async with self.client.stream(
                    "GET", url, headers=headers, timeout=STREAM_TIMEOUT
                ) as response:
                    response.raise_for_status()
                    async for frame in sse_frames(response):
                        if frame.event == "message" and "id" in frame.data:
                            # Which connection showed it: a repeat across a reconnection
                            # and one within a connection have different causes.
                            self.frames.append(
                                {**frame.data, "_connection": connection, "_sse_id": frame.event_id}
                            )
                            self._event(str(frame.data["id"])).set()
                            last_position = frame.event_id or last_position
            except httpx.HTTPError as exc:
                log.info("fault_visitor_stream_dropped", thread_id=self.thread_id, error=repr(exc))
            await asyncio.sleep(RETRY_AFTER_S)

    def _event(self, message_id: str) -> asyncio.Event:
        return self._seen.setdefault(message_id, asyncio.Event())

    async def send(self, text: str, deadline_s: float) -> str | None:
        """The message id once accepted, None if the gateway never took it in time."""
        client_message_id = str(uuid.uuid4())
        deadline = time.monotonic() + deadline_s
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                response = await self.client.post(
                    f"{self.stack.gateway_url}/v1/widget/threads/{self.thread_id}/messages",
                    json={"text": text, "client_message_id": client_message_id},
                    headers=self._headers(),
                )
                self._note(response)
                if response.is_success:
                    message_id = str(response.json()["message_id"])
                    self.sent.append(message_id)
                    return message_id
            await asyncio.sleep(RETRY_AFTER_S)
        self.refused += 1
        return None

    async def wait_for(self, message_id: str, timeout_s: float) -> bool:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event(message_id).wait(), timeout_s)
            return True
        return False

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader
        await self.client.aclose()
