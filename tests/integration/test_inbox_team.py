"""Accounts and teammates: sign-up, invites by e-mail, roles, removal, password reset,
browser sessions with CSRF protection. Mail goes through a real SMTP server (the sink)."""

import uuid

import httpx
import pytest

from tests.support.inbox_harness import (
    PASSWORD,
    Replica,
    bearer,
    invite_and_accept,
    link_in,
    replica,
    sign_up,
    token_of,
)

pytestmark = pytest.mark.integration
__all__ = ["replica"]  # the fixture, imported so this module shares the session's replica


def me(inbox: str, headers: dict[str, str]) -> httpx.Response:
    return httpx.get(f"{inbox}/v1/me", headers=headers)


def login(inbox: str, email: str, password: str = PASSWORD) -> httpx.Response:
    return httpx.post(f"{inbox}/v1/auth/login", json={"email": email, "password": password})


def test_sign_up_creates_an_account_with_its_owner(replica: Replica) -> None:
    email, token = sign_up(replica.url, "Northwind Support")
    profile = me(replica.url, bearer(token))
    assert profile.status_code == 200, profile.text
    body = profile.json()
    assert body["staff"]["role"] == "owner" and body["staff"]["email"] == email
    assert body["account"]["name"] == "Northwind Support"
    assert login(replica.url, email.upper()).status_code == 200  # e-mails match case-blind

    weak = httpx.post(
        f"{replica.url}/v1/accounts",
        json={
            "account_name": "Weak",
            "email": f"w-{uuid.uuid4().hex[:6]}@x.test",
            "password": "short",
        },
    )
    assert weak.status_code == 422 and weak.json()["error"]["field"] == "password"


def test_invite_by_email_is_a_one_time_link(replica: Replica) -> None:
    _, owner = sign_up(replica.url, "Invite Co")
    email = f"new-{uuid.uuid4().hex[:8]}@example.test"
    sent = httpx.post(
        f"{replica.url}/v1/invites", json={"email": email, "role": "agent"}, headers=bearer(owner)
    )
    assert sent.status_code == 201, sent.text
    pending = httpx.get(f"{replica.url}/v1/invites", headers=bearer(owner)).json()["invites"]
    assert [invite["email"] for invite in pending] == [email]

    mail = replica.sink.wait_for(email, "invited you")
    link = link_in(mail)
    assert link.startswith(f"{replica.url}/invite#token=")
    token = token_of(link)
    info = httpx.post(f"{replica.url}/v1/invites/lookup", json={"token": token})
    assert info.status_code == 200 and info.json()["account_name"] == "Invite Co"

    accepted = httpx.post(
        f"{replica.url}/v1/invites/accept",
        json={"token": token, "name": "Sam Rivera", "password": PASSWORD},
    )
    assert accepted.status_code == 201, accepted.text
    profile = me(replica.url, bearer(accepted.json()["token"])).json()
    assert profile["staff"]["role"] == "agent" and profile["staff"]["name"] == "Sam Rivera"
    assert login(replica.url, email).status_code == 200

    reused = httpx.post(
        f"{replica.url}/v1/invites/accept",
        json={"token": token, "name": "Mallory", "password": PASSWORD},
    )
    assert reused.status_code == 404 and reused.json()["error"]["code"] == "link_invalid"
    assert httpx.get(f"{replica.url}/v1/invites", headers=bearer(owner)).json()["invites"] == []


def test_roles_decide_who_manages_the_team(replica: Replica) -> None:
    _, owner = sign_up(replica.url)
    _, agent = invite_and_accept(replica, owner, "agent", "Agent Smith")
    _, admin = invite_and_accept(replica, owner, "admin", "Ada Admin")

    as_agent = httpx.post(
        f"{replica.url}/v1/invites",
        json={"email": f"x-{uuid.uuid4().hex[:6]}@example.test", "role": "agent"},
        headers=bearer(agent),
    )
    assert as_agent.status_code == 403
    as_owner_role = httpx.post(
        f"{replica.url}/v1/invites",
        json={"email": f"o-{uuid.uuid4().hex[:6]}@example.test", "role": "owner"},
        headers=bearer(owner),
    )
    assert as_owner_role.status_code == 422  # nobody invites a second owner

    team = httpx.get(f"{replica.url}/v1/staff", headers=bearer(agent)).json()["staff"]
    ids = {member["role"]: member["id"] for member in team}
    assert set(ids) == {"owner", "admin", "agent"}

    remove = f"{replica.url}/v1/staff"
    assert httpx.delete(f"{remove}/{ids['owner']}", headers=bearer(admin)).status_code == 403
    assert httpx.delete(f"{remove}/{ids['admin']}", headers=bearer(agent)).status_code == 403
    assert me(replica.url, bearer(agent)).status_code == 200
    assert httpx.delete(f"{remove}/{ids['agent']}", headers=bearer(admin)).status_code == 204
    # the removed teammate's token stops working at once
    assert me(replica.url, bearer(agent)).status_code == 401


def test_password_reset_by_email_ends_old_sessions(replica: Replica) -> None:
    email, old_token = sign_up(replica.url)
    unknown = f"nobody-{uuid.uuid4().hex[:6]}@example.test"
    for address in (email, unknown):
        response = httpx.post(f"{replica.url}/v1/auth/password-reset", json={"email": address})
        assert response.status_code == 202  # the same answer either way
    token = token_of(link_in(replica.sink.wait_for(email, "Reset your Baton password")))

    confirm = f"{replica.url}/v1/auth/password-reset/confirm"
    new_password = "a-brand-new-password"
    assert httpx.post(confirm, json={"token": token, "password": new_password}).status_code == 204
    assert login(replica.url, email).status_code == 401
    assert login(replica.url, email, new_password).status_code == 200
    assert me(replica.url, bearer(old_token)).status_code == 401
    again = httpx.post(confirm, json={"token": token, "password": "yet-another-password"})
    assert again.status_code == 404
    assert all(to != unknown for to, _ in replica.sink.subjects())


def test_browser_session_is_an_httponly_cookie_with_csrf(replica: Replica) -> None:
    email, _ = sign_up(replica.url)
    with httpx.Client(base_url=replica.url) as browser:
        opened = browser.post("/v1/auth/session", json={"email": email, "password": PASSWORD})
        assert opened.status_code == 200, opened.text
        assert "token" not in opened.json()  # script never sees the session token
        cookies = opened.headers.get_list("set-cookie")
        session = next(c for c in cookies if c.startswith("baton_session="))
        assert "HttpOnly" in session and "SameSite=strict" in session
        csrf = opened.json()["csrf_token"]
        assert browser.cookies["baton_csrf"] == csrf

        assert browser.get("/v1/me").status_code == 200
        note = {"email": f"c-{uuid.uuid4().hex[:6]}@example.test", "role": "agent"}
        forged = browser.post("/v1/invites", json=note)
        assert forged.status_code == 403 and forged.json()["error"]["code"] == "csrf_failed"
        wrong = browser.post("/v1/invites", json=note, headers={"X-CSRF-Token": "x" * 43})
        assert wrong.status_code == 403
        allowed = browser.post("/v1/invites", json=note, headers={"X-CSRF-Token": csrf})
        assert allowed.status_code == 201, allowed.text

        stolen_cookie = browser.cookies["baton_session"]
        out = browser.delete("/v1/auth/session", headers={"X-CSRF-Token": csrf})
        assert out.status_code == 204
        assert browser.get("/v1/me").status_code == 401
        # a copy of the cookie taken before logout is dead too
        replay = httpx.get(f"{replica.url}/v1/me", cookies={"baton_session": stolen_cookie})
        assert replay.status_code == 401


def test_bearer_logout_revokes_that_token_only(replica: Replica) -> None:
    email, first = sign_up(replica.url)
    second = login(replica.url, email).json()["token"]
    assert httpx.delete(f"{replica.url}/v1/auth/session", headers=bearer(first)).status_code == 204
    assert me(replica.url, bearer(first)).status_code == 401
    assert me(replica.url, bearer(second)).status_code == 200


def test_pages_are_served_with_a_strict_content_security_policy(replica: Replica) -> None:
    for path in (
        "/",
        "/login",
        "/signup",
        "/invite",
        "/reset",
        "/team",
        "/bots",
        "/settings",
        "/reports",
    ):
        page = httpx.get(f"{replica.url}{path}")
        assert page.status_code == 200, path
        assert '<script type="module" src="/static/' in page.text, path
        assert "<script>" not in page.text, path  # no inline script anywhere
        policy = page.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert httpx.get(f"{replica.url}/static/..%2Fapp.py").status_code == 404
