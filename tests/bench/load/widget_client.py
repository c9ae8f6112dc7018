"""One visitor as the embedded widget drives it: a session, its SSE stream and its messages,
every connection from the visitor's own loopback source address (a lean HTTP client,
`lean_http`: the bench's visitors share the stack's cores, as browsers would not)."""

import asyncio
import contextlib
import time
import uuid
from dataclasses import dataclass, field

import structlog

from baton_events.envelope import stable_event_id
from tests.bench.load.arrivals import Arrival, Arrivals
from tests.bench.load.lean_http import LeanClient
from tests.bench.load.sse import frames_of
from tests.bench.load.stack import Stack

log = structlog.get_logger()
REQUEST_TIMEOUT_S = 15.0  # a stream's reads have none: it is quiet between messages
STREAM_ATTEMPTS = 5  # the first connection and up to four reconnections
RECONNECT_AFTER_S = 1.0


def expected_reply_id(message_id: str) -> str:
    """The id of the AI's reply to a visitor message: the agent derives it from the message
    id, which is how a reply is matched to the question it answers."""
    return str(stable_event_id(message_id, "ai_reply"))


@dataclass(frozen=True)
class SentMessage:
    message_id: str
    sent_at: float  # time.perf_counter() just before the POST


@dataclass
class WidgetVisitor:
    stack: Stack
    source_address: str
    client: LeanClient
    thread_id: str = ""
    token: str = ""
    messages: Arrivals = field(default_factory=Arrivals)
    _reader: asyncio.Task[None] | None = None

    @classmethod
    def new(cls, stack: Stack, source_address: str) -> "WidgetVisitor":
        client = LeanClient(stack.gateway_url, source_address, REQUEST_TIMEOUT_S)
        return cls(stack, source_address, client)

    @property
    def _headers(self) -> dict[str, str]:
        headers = {"Origin": self.stack.widget_origin}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    async def open(self) -> None:
        """A session, then its stream, subscribed before the first question is sent."""
        response = await self.client.request(
            "POST",
            "/v1/widget/sessions",
            json_body={"bot_key": self.stack.bot_key, "visitor": {}},
            headers=self._headers,
        )
        body = response.raise_for_status().json()
        self.thread_id, self.token = body["thread_id"], body["visitor_token"]
        subscribed = asyncio.get_running_loop().create_future()
        self._reader = asyncio.create_task(self._read_stream(subscribed))
        await asyncio.wait_for(subscribed, REQUEST_TIMEOUT_S)

    async def _read_stream(self, subscribed: asyncio.Future[None]) -> None:
        """Reads the stream; like the widget's EventSource it reconnects after a drop, from the
        last position it saw (a replayed message keeps its first arrival time)."""
        # As the widget opens it (static/widget.js): with the thread's state and typing.
        path = f"/v1/widget/threads/{self.thread_id}/stream?include=state,typing"
        last_position: str | None = None
        for attempt in range(STREAM_ATTEMPTS):
            headers = {**self._headers, "Accept": "text/event-stream"}
            if last_position is not None:
                headers["Last-Event-ID"] = last_position
            try:
                async with self.client.stream_lines(path, headers=headers) as lines:
                    if not subscribed.done():
                        subscribed.set_result(None)
                    async for frame in frames_of(lines):
                        if frame.event == "message" and "id" in frame.data:
                            arrival = Arrival(time.perf_counter(), frame.data)
                            self.messages.arrived(str(frame.data["id"]), arrival)
                            last_position = frame.event_id or last_position
            except Exception as exc:
                if not subscribed.done():
                    subscribed.set_exception(exc)
                    return
                log.warning("visitor_stream_dropped", thread_id=self.thread_id, error=repr(exc))
            if attempt < STREAM_ATTEMPTS - 1:
                await asyncio.sleep(RECONNECT_AFTER_S)  # the stream's `retry:` hint

    async def send(self, text: str) -> SentMessage:
        sent_at = time.perf_counter()
        response = await self.client.request(
            "POST",
            f"/v1/widget/threads/{self.thread_id}/messages",
            json_body={"text": text, "client_message_id": str(uuid.uuid4())},
            headers=self._headers,
        )
        return SentMessage(str(response.raise_for_status().json()["message_id"]), sent_at)

    async def reply_to(self, sent: SentMessage, timeout_s: float) -> Arrival | None:
        return await self.messages.wait(expected_reply_id(sent.message_id), timeout_s)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader
        await self.client.aclose()
