"""The isolated Baton a browser test talks to, and the teammate's side of it (inbox API)."""

import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Any

import httpx
import redis

from baton_contracts import redis_keys
from baton_contracts.live_signals import StaffTypingSignal
from tests.e2e.browser.host_pages import HostPages
from tests.support.infra import infra
from tests.support.isolated import IsolatedSystem

STAFF_PASSWORD = "browser-secret-1"
IDENTITY_SECRET = "browser-identity-secret"
# What an admin would set on the Bots page (stored on the bot document).
BOT_SETTINGS: dict[str, Any] = {
    "display_name": "Orbit CRM Support",
    "greeting": "Hi there! Ask me anything about Orbit CRM. A teammate can join anytime.",
    "accent_color": "#6741d9",
    "prechat_fields": [
        {"field": "name", "required": True},
        {"field": "email", "required": False},
        {"field": "company", "required": False},
    ],
    "identity_secret": IDENTITY_SECRET,
}


@dataclass
class Site:
    system: IsolatedSystem
    demo_origin: str
    host: HostPages
    bot_key: str
    bot_id: str
    account_id: str
    staff_token: str

    @property
    def gateway(self) -> str:
        return self.system.url("gateway")

    def _staff(self, method: str, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        response = httpx.request(
            method,
            f"{self.system.url('inbox')}/v1/threads{path}",
            json=body,
            headers={"Authorization": f"Bearer {self.staff_token}"},
        )
        return response

    def account_settings(self, chosen: dict[str, Any]) -> httpx.Response:
        """PUT the account's settings (owner); `{}` puts the defaults back."""
        return httpx.put(
            f"{self.system.url('inbox')}/v1/account/settings",
            json=chosen,
            headers={"Authorization": f"Bearer {self.staff_token}"},
        )

    def inbox_thread(self, thread_id: str, timeout: float = 15.0) -> dict[str, Any]:
        """The thread as the inbox shows it, once the inbox has it."""
        deadline = time.monotonic() + timeout
        while (response := self._staff("GET", f"/{thread_id}")).status_code != 200:
            assert time.monotonic() < deadline, f"thread never reached the inbox: {response.text}"
            time.sleep(0.1)
        thread: dict[str, Any] = response.json()
        return thread

    def staff_reply(self, thread_id: str, text: str) -> None:
        self.inbox_thread(thread_id)
        response = self._staff("POST", f"/{thread_id}/messages", {"text": text})
        assert response.status_code == 202, response.text

    def hand_back(self, thread_id: str) -> None:
        response = self._staff("POST", f"/{thread_id}/handback")
        assert response.status_code == 202, response.text

    def close(self, thread_id: str) -> None:
        self.inbox_thread(thread_id)
        response = self._staff("POST", f"/{thread_id}/close")
        assert response.status_code == 202, response.text

    def reopen(self, thread_id: str, timeout: float = 15.0) -> None:
        """The inbox's Reopen; it answers 409 until the inbox has folded the close."""
        deadline = time.monotonic() + timeout
        while (response := self._staff("POST", f"/{thread_id}/reopen")).status_code == 409:
            assert time.monotonic() < deadline, (
                f"the close never reached the inbox: {response.text}"
            )
            time.sleep(0.1)
        assert response.status_code == 202, response.text

    def staff_typing(self, thread_id: str, name: str, typing: bool = True) -> None:
        """What the inbox publishes while a teammate types (ephemeral, Redis pub/sub)."""
        prefix = self.system.env["BATON_REDIS_PREFIX"]
        signal = StaffTypingSignal(name=name, typing=typing)
        with redis.Redis.from_url(infra().redis_url) as client:
            client.publish(redis_keys.thread_live(prefix, thread_id), signal.model_dump_json())


def user_hash(user_id: str, secret: str = IDENTITY_SECRET) -> str:
    """What the customer's backend computes for a signed-in user."""
    return hmac.new(secret.encode(), user_id.encode(), hashlib.sha256).hexdigest()
