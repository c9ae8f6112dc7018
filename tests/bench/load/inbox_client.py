"""Teammates through the inbox's public API: signing in, inviting a second teammate (the
invite link arrives by e-mail in the stack's mail sink), replying, and the live stream."""

import asyncio
import json
import re
import secrets
import time
import uuid
from email import message_from_bytes, policy
from pathlib import Path

import httpx

from tests.bench.load.stack import Stack

INVITE_MAIL_WAIT_S = 20.0
LINK = re.compile(r"https?://\S+#token=(\S+)")


async def log_in(client: httpx.AsyncClient, stack: Stack, email: str, password: str) -> str | None:
    response = await client.post(
        f"{stack.inbox_url}/v1/auth/login", json={"email": email, "password": password}
    )
    return str(response.json()["token"]) if response.status_code == 200 else None


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _invite_token_in(mail_dir: Path, email: str) -> str | None:
    for path in sorted(mail_dir.glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        body = message.get_body(preferencelist=("plain",))
        match = LINK.search(str(body.get_content())) if body is not None else None
        if str(message["To"]) == email and match:
            return match.group(1)
    return None


async def _invite_token(mail_dir: Path, email: str) -> str:
    deadline = time.monotonic() + INVITE_MAIL_WAIT_S
    while time.monotonic() < deadline:
        if token := _invite_token_in(mail_dir, email):
            return token
        await asyncio.sleep(0.2)
    raise RuntimeError(f"no invite mail to {email} in {mail_dir}")


def _cached_teammate(cache: Path, inbox_url: str) -> dict[str, str] | None:
    if not cache.exists():
        return None
    known: dict[str, str] = json.loads(cache.read_text())
    return known if known.get("inbox_url") == inbox_url else None


def _remember_teammate(cache: Path, teammate: dict[str, str]) -> None:
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(teammate))


async def second_teammate(client: httpx.AsyncClient, stack: Stack, owner: str, cache: Path) -> str:
    """A token of a teammate other than the owner: the one from an earlier run if it can still
    sign in, else a new one invited now."""
    known = _cached_teammate(cache, stack.inbox_url)
    if known and (token := await log_in(client, stack, known["email"], known["password"])):
        return token
    email = f"bench-{uuid.uuid4().hex[:8]}@example.test"
    password = secrets.token_urlsafe(16)
    invited = await client.post(
        f"{stack.inbox_url}/v1/invites",
        json={"email": email, "role": "agent"},
        headers=bearer(owner),
    )
    invited.raise_for_status()
    accepted = await client.post(
        f"{stack.inbox_url}/v1/invites/accept",
        json={
            "token": await _invite_token(stack.mail_dir, email),
            "name": "Bench Watcher",
            "password": password,
        },
    )
    accepted.raise_for_status()
    _remember_teammate(cache, {"inbox_url": stack.inbox_url, "email": email, "password": password})
    return str(accepted.json()["token"])


async def wait_for_thread(
    client: httpx.AsyncClient, stack: Stack, token: str, thread_id: str, timeout_s: float
) -> bool:
    """The inbox knows a thread once it has folded its first events."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        response = await client.get(
            f"{stack.inbox_url}/v1/threads/{thread_id}", headers=bearer(token)
        )
        if response.status_code == 200:
            return True
        await asyncio.sleep(0.2)
    return False


async def reply(
    client: httpx.AsyncClient, stack: Stack, token: str, thread_id: str, text: str
) -> str:
    """Sends a staff message; returns its message id (the widget and the inbox show it so)."""
    response = await client.post(
        f"{stack.inbox_url}/v1/threads/{thread_id}/messages",
        json={"text": text},
        headers=bearer(token),
    )
    response.raise_for_status()
    return str(response.json()["event_id"])
