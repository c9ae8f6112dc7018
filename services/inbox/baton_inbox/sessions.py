"""Staff sessions: one signed token, carried two ways.

- API clients send it as `Authorization: Bearer`. Browsers never attach that header on their
  own, so such requests cannot be forged cross-site and need no CSRF token.
- The inbox page gets it in an httpOnly cookie (script cannot read it, so an injected script
  cannot steal it) with SameSite=Strict. Because browsers do attach cookies, every unsafe
  request authenticated by the cookie must also carry `X-CSRF-Token`: an HMAC of the session
  id that the page reads from a second, script-readable cookie (a signed double-submit token).
  A cross-site page can neither read that cookie nor compute the HMAC.

Tokens carry the teammate's session epoch: a password reset bumps it and ends every session.
"""

import base64
import hashlib
import hmac
import secrets

from fastapi import Response

from baton_inbox.adapters.accounts import StaffUser
from baton_inbox.settings import InboxSettings
from baton_runtime.tokens import sign_token

STAFF_TOKEN = "staff"
SESSION_COOKIE = "baton_session"
CSRF_COOKIE = "baton_csrf"
CSRF_HEADER = "x-csrf-token"


def issue_token(settings: InboxSettings, staff: StaffUser) -> tuple[str, str]:
    """A new session for `staff`: (token, session id)."""
    session_id = secrets.token_urlsafe(16)
    token = sign_token(
        settings.token_secret.get_secret_value(),
        STAFF_TOKEN,
        {
            "staff_id": staff.staff_id,
            "account_id": staff.account_id,
            "sid": session_id,
            "epoch": staff.session_epoch,
        },
        settings.inbox_staff_token_ttl_seconds,
    )
    return token, session_id


def csrf_token(settings: InboxSettings, session_id: str) -> str:
    mac = hmac.new(
        settings.token_secret.get_secret_value().encode(),
        f"csrf.{session_id}".encode(),
        hashlib.sha256,
    ).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def csrf_matches(settings: InboxSettings, session_id: str, presented: str | None) -> bool:
    return bool(presented) and hmac.compare_digest(
        csrf_token(settings, session_id), presented or ""
    )


def set_session_cookies(response: Response, settings: InboxSettings, token: str, sid: str) -> str:
    ttl = settings.inbox_staff_token_ttl_seconds
    secure = settings.inbox_cookie_secure
    response.set_cookie(
        SESSION_COOKIE, token, max_age=ttl, httponly=True, secure=secure, samesite="strict"
    )
    csrf = csrf_token(settings, sid)
    response.set_cookie(
        CSRF_COOKIE, csrf, max_age=ttl, httponly=False, secure=secure, samesite="strict"
    )
    return csrf


def clear_session_cookies(response: Response, settings: InboxSettings) -> None:
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        response.delete_cookie(name, secure=settings.inbox_cookie_secure, samesite="strict")
