"""Signed, expiring bearer tokens (HMAC-SHA256): verifiable without a store lookup."""

import base64
import hashlib
import hmac
import json
import time
from typing import Any


class InvalidTokenError(ValueError):
    pass


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_token(secret: str, purpose: str, claims: dict[str, Any], ttl_seconds: int) -> str:
    body = {**claims, "purpose": purpose, "exp": int(time.time()) + ttl_seconds}
    payload = _b64(json.dumps(body, separators=(",", ":"), sort_keys=True).encode())
    mac = hmac.new(secret.encode(), f"{purpose}.{payload}".encode(), hashlib.sha256).digest()
    return f"{payload}.{_b64(mac)}"


def verify_token(secret: str, purpose: str, token: str) -> dict[str, Any]:
    """The claims of a token signed for `purpose`; InvalidTokenError otherwise."""
    try:
        payload, mac = token.split(".", 1)
        expected = hmac.new(
            secret.encode(), f"{purpose}.{payload}".encode(), hashlib.sha256
        ).digest()
        if not hmac.compare_digest(expected, _unb64(mac)):
            raise InvalidTokenError("bad signature")
        claims: dict[str, Any] = json.loads(_unb64(payload))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidTokenError("malformed token") from exc
    if claims.get("purpose") != purpose:
        raise InvalidTokenError("wrong purpose")
    if int(claims.get("exp", 0)) < time.time():
        raise InvalidTokenError("expired")
    return claims
