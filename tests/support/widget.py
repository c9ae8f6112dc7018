"""A visitor's widget session driven over HTTP, as the embedded widget would."""

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from tests.support.http import SseRecorder


@dataclass
class Visitor:
    gateway: str
    origin: str
    thread_id: str
    token: str

    @classmethod
    def open(
        cls, gateway: str, origin: str, bot_key: str, source: str | None = None, **visitor: str
    ) -> "Visitor":
        """`source`: the client address to open the session from (a loopback address), since
        the gateway bounds the sessions one address opens."""
        transport = httpx.HTTPTransport(local_address=source) if source else None
        with httpx.Client(transport=transport) as client:
            response = client.post(
                f"{gateway}/v1/widget/sessions",
                json={"bot_key": bot_key, "visitor": visitor},
                headers={"Origin": origin},
            )
        assert response.status_code == 201, response.text
        body = response.json()
        return cls(gateway, origin, body["thread_id"], body["visitor_token"])

    @property
    def headers(self) -> dict[str, str]:
        return {"Origin": self.origin, "Authorization": f"Bearer {self.token}"}

    def send(self, text: str, client_message_id: str | None = None) -> httpx.Response:
        return httpx.post(
            f"{self.gateway}/v1/widget/threads/{self.thread_id}/messages",
            json={"text": text, "client_message_id": client_message_id or str(uuid.uuid4())},
            headers=self.headers,
        )

    def typing(self, typing: bool) -> None:
        """What the widget posts while the visitor types (every 3 s) and when they stop."""
        response = httpx.post(
            f"{self.gateway}/v1/widget/threads/{self.thread_id}/typing",
            json={"typing": typing},
            headers=self.headers,
        )
        assert response.status_code == 204, response.text

    def history(self) -> list[dict[str, Any]]:
        response = httpx.get(
            f"{self.gateway}/v1/widget/threads/{self.thread_id}/messages", headers=self.headers
        )
        assert response.status_code == 200, response.text
        messages: list[dict[str, Any]] = response.json()["messages"]
        return messages

    def stream(self, last_event_id: str | None = None) -> SseRecorder:
        headers = dict(self.headers)
        if last_event_id is not None:
            headers["Last-Event-ID"] = last_event_id
        return SseRecorder(f"{self.gateway}/v1/widget/threads/{self.thread_id}/stream", headers)
