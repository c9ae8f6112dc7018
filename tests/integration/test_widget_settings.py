"""Per-bot widget settings over the real stack: the public bot profile, the pre-chat form's
answers reaching the inbox, identity verification, and allowed origins."""

import hashlib
import hmac
import time
import uuid
from typing import Any

import httpx
import pytest

from tests.integration.conftest import DEMO_ORIGIN, Seeded

pytestmark = pytest.mark.integration
SECRET = "s3cret-for-hmac"


def new_bot(mongo: Any, seeded: Seeded, account_id: str | None = None, **settings: Any) -> str:
    """A bot (of the seeded account unless told), straight into `bots` as the Bots page would
    store it."""
    bot_key = f"settings-{uuid.uuid4().hex[:8]}"
    mongo["bots"].insert_one(
        {
            "_id": str(uuid.uuid4()),
            "bot_key": bot_key,
            "account_id": account_id or seeded.account_id,
            "name": "Settings test bot",
            "allowed_origins": [DEMO_ORIGIN],
            **settings,
        }
    )
    return bot_key


def open_session(seeded: Seeded, body: dict[str, Any], origin: str = DEMO_ORIGIN) -> httpx.Response:
    return httpx.post(f"{seeded.gateway}/v1/widget/sessions", json=body, headers={"Origin": origin})


def sign(user_id: str, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), user_id.encode(), hashlib.sha256).hexdigest()


def inbox_thread(seeded: Seeded, thread_id: str) -> dict[str, Any]:
    """The thread as staff read it, once the inbox has folded its start from Kafka."""
    headers = {"Authorization": f"Bearer {seeded.staff_token}"}
    deadline = time.monotonic() + 10
    while (
        thread := httpx.get(f"{seeded.inbox}/v1/threads/{thread_id}", headers=headers)
    ).status_code != 200:
        assert time.monotonic() < deadline, thread.text
        time.sleep(0.1)
    body: dict[str, Any] = thread.json()
    return body


def test_bot_profile_for_the_widget(seeded: Seeded, mongo: Any) -> None:
    bot_key = new_bot(
        mongo,
        seeded,
        display_name="Orbit Support",
        greeting="Hello!",
        accent_color="#6741d9",
        prechat_fields=[{"field": "email", "required": True}, "company", "phone", "company"],
        identity_secret=SECRET,
    )
    url = f"{seeded.gateway}/v1/widget/bots/{bot_key}"
    response = httpx.get(url, headers={"Origin": DEMO_ORIGIN})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "display_name": "Orbit Support",
        "greeting": "Hello!",
        "accent_color": "#6741d9",
        "prechat_fields": [
            {"field": "email", "label": "E-mail", "required": True},
            {"field": "company", "label": "Company", "required": False},
        ],
        "identity_verification": True,
    }
    assert "s3cret" not in response.text
    evil = httpx.get(url, headers={"Origin": "https://evil.example"})
    assert evil.status_code == 403 and evil.json()["error"]["code"] == "origin_not_allowed"
    unknown = httpx.get(f"{seeded.gateway}/v1/widget/bots/nope", headers={"Origin": DEMO_ORIGIN})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "unknown_bot"


def test_bot_without_widget_settings_gets_defaults(seeded: Seeded, mongo: Any) -> None:
    bot_key = new_bot(mongo, seeded, accent_color="red; background: url(x)")
    body = httpx.get(f"{seeded.gateway}/v1/widget/bots/{bot_key}", headers={"Origin": DEMO_ORIGIN})
    assert body.json() == {
        "display_name": "Settings test bot",
        "greeting": None,
        "accent_color": "#3b5bdb",
        "prechat_fields": [],
        "identity_verification": False,
    }


def test_prechat_answers_reach_the_inbox(seeded: Seeded, mongo: Any) -> None:
    bot_key = new_bot(
        mongo, seeded, prechat_fields=[{"field": "name", "required": True}, "email", "company"]
    )
    visitor = {"name": "  Grace Hopper ", "email": "grace@navy.example", "company": "US Navy"}
    response = open_session(seeded, {"bot_key": bot_key, "visitor": visitor})
    assert response.status_code == 201, response.text
    thread = inbox_thread(seeded, response.json()["thread_id"])
    assert thread["visitor"] == {
        "name": "Grace Hopper",
        "email": "grace@navy.example",
        "company": "US Navy",
        "user_id": None,
        "verified": False,
    }


@pytest.mark.parametrize(
    ("visitor", "code", "field"),
    [
        ({}, "prechat_required", "visitor.name"),
        ({"name": "   "}, "prechat_required", "visitor.name"),
        ({"name": "Ada", "email": "not-an-address"}, "invalid_email", "visitor.email"),
    ],
)
def test_prechat_refuses_missing_or_bad_answers(
    seeded: Seeded, mongo: Any, visitor: dict[str, str], code: str, field: str
) -> None:
    bot_key = new_bot(mongo, seeded, prechat_fields=[{"field": "name", "required": True}, "email"])
    response = open_session(seeded, {"bot_key": bot_key, "visitor": visitor})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["field"] == field


def test_verified_user_gets_the_same_thread_on_any_device(seeded: Seeded, mongo: Any) -> None:
    bot_key = new_bot(mongo, seeded, identity_secret=SECRET)
    user_id = f"user-{uuid.uuid4().hex[:6]}"
    body = {"bot_key": bot_key, "user_id": user_id, "user_hash": sign(user_id)}
    first = open_session(seeded, body)
    second = open_session(seeded, {**body, "user_hash": sign(user_id).upper()})
    assert first.status_code == second.status_code == 201, (first.text, second.text)
    assert first.json()["thread_id"] == second.json()["thread_id"]
    other_user = open_session(
        seeded, {**body, "user_id": "someone-else", "user_hash": sign("someone-else")}
    )
    assert other_user.json()["thread_id"] != first.json()["thread_id"]
    anonymous = open_session(seeded, {"bot_key": bot_key})
    assert anonymous.status_code == 201
    assert anonymous.json()["thread_id"] != first.json()["thread_id"]


@pytest.mark.parametrize(
    "user_hash",
    [
        "forged",
        None,
        "",
        sign("victim", secret="another-secret"),
        sign("victim")[:-1] + ("0" if sign("victim")[-1] != "0" else "1"),
        sign("victim") + "00",
        "é" * 64,
    ],
)
def test_forged_identity_signature_is_refused(
    seeded: Seeded, mongo: Any, user_hash: str | None
) -> None:
    bot_key = new_bot(mongo, seeded, identity_secret=SECRET)
    victim = open_session(
        seeded, {"bot_key": bot_key, "user_id": "victim", "user_hash": sign("victim")}
    )
    assert victim.status_code == 201
    response = open_session(
        seeded, {"bot_key": bot_key, "user_id": "victim", "user_hash": user_hash}
    )
    assert response.status_code == 403, response.text
    assert response.json()["error"] == {
        "code": "identity_rejected",
        "message": "user_hash does not match user_id",
        "field": "user_hash",
    }


def test_user_id_without_a_bot_secret_is_not_trusted(seeded: Seeded, mongo: Any) -> None:
    bot_key = new_bot(mongo, seeded)
    body = {"bot_key": bot_key, "user_id": "42", "user_hash": sign("42")}
    first, second = open_session(seeded, body), open_session(seeded, body)
    assert first.status_code == second.status_code == 201
    assert first.json()["thread_id"] != second.json()["thread_id"]
    visitor = inbox_thread(seeded, first.json()["thread_id"])["visitor"]
    assert (visitor["user_id"], visitor["verified"]) == (None, False)


def test_a_verified_user_reaches_the_inbox_marked_verified(seeded: Seeded, mongo: Any) -> None:
    bot_key = new_bot(mongo, seeded, identity_secret=SECRET)
    user_id = f"user-{uuid.uuid4().hex[:6]}"
    body = {
        "bot_key": bot_key,
        "visitor": {"name": "Ada Lovelace"},
        "user_id": user_id,
        "user_hash": sign(user_id),
    }
    session = open_session(seeded, body)
    assert session.status_code == 201, session.text
    thread_id = session.json()["thread_id"]
    expected = {
        "name": "Ada Lovelace",
        "email": None,
        "company": None,
        "user_id": user_id,
        "verified": True,
    }
    assert inbox_thread(seeded, thread_id)["visitor"] == expected
    listed = httpx.get(
        f"{seeded.inbox}/v1/threads", headers={"Authorization": f"Bearer {seeded.staff_token}"}
    ).json()["threads"]
    assert [t["visitor"] for t in listed if t["id"] == thread_id] == [expected]
    # The browser cannot claim verification itself: the request body has no such field.
    claimed = open_session(
        seeded, {"bot_key": bot_key, "visitor": {"name": "Eve", "user_id": "x", "verified": True}}
    )
    assert claimed.status_code == 422, claimed.text
    assert claimed.json()["error"]["field"] == "visitor.user_id"


def test_origin_not_on_the_list_is_refused_everywhere(seeded: Seeded, mongo: Any) -> None:
    bot_key = new_bot(mongo, seeded)
    evil = "https://evil.example"
    session = open_session(seeded, {"bot_key": bot_key}, origin=evil)
    assert session.status_code == 403
    assert session.json()["error"]["code"] == "origin_not_allowed"
    ok = open_session(seeded, {"bot_key": bot_key}).json()
    base = f"{seeded.gateway}/v1/widget/threads/{ok['thread_id']}"
    headers = {"Origin": evil, "Authorization": f"Bearer {ok['visitor_token']}"}
    for method, path, body in [
        ("GET", "/messages", None),
        ("POST", "/messages", {"text": "hi", "client_message_id": "x"}),
        ("GET", "/stream", None),
        ("POST", "/typing", {"typing": True}),
        ("POST", "/contact", {"email": "a@b.example"}),
    ]:
        response = httpx.request(method, base + path, json=body, headers=headers)
        assert response.status_code == 403, (path, response.text)
        assert response.json()["error"]["code"] == "origin_not_allowed", path


def test_widget_script_is_small_compressed_and_revalidated(seeded: Seeded) -> None:
    url = f"{seeded.gateway}/widget.js"
    with httpx.Client() as client:
        packed = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert packed.status_code == 200
        assert packed.headers["content-encoding"] == "gzip"
        assert packed.headers["content-type"].startswith("application/javascript")
        assert int(packed.headers["content-length"]) < 25_000  # the budget the README states
        assert "attachShadow" in packed.text  # httpx decoded it: valid gzip of the script
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers and plain.text == packed.text
        again = client.get(url, headers={"If-None-Match": packed.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
