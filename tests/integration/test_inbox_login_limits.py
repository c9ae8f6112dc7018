"""Failed logins, sign-ups and reset mails, counted so that nobody can lock a teammate out
(issue 17, docs/inbox.md): per (login, client address) back-off, a mail to the owner, a new
password that starts the count over, limits per address and per e-mail. The inbox believes
X-Forwarded-For from loopback here (BATON_FORWARDED_ALLOW_IPS), so one test client can speak
from several addresses."""

import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.support.inbox_harness import (
    PASSWORD,
    MailSink,
    Replica,
    link_in,
    sign_up,
    start_replica,
    token_of,
)
from tests.support.isolated import IsolatedSystem

pytestmark = pytest.mark.integration

FREE_FAILURES = 3


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replica]:
    base = IsolatedSystem()
    sink = MailSink.start(tmp_path_factory.mktemp("mail"))
    replica = start_replica(
        base,
        sink,
        BATON_FORWARDED_ALLOW_IPS="127.0.0.1",
        BATON_INBOX_DIGEST_ENABLED="false",
        BATON_INBOX_LOGIN_MAX_FAILURES=str(FREE_FAILURES),
        BATON_INBOX_LOGIN_BACKOFF_BASE_SECONDS="60",
        BATON_INBOX_SIGNUPS_PER_IP="3",
        BATON_INBOX_RESET_MAILS_PER_EMAIL="2",
    )
    try:
        yield replica
    finally:
        replica.system.discard()
        sink.stop()


def login(inbox: str, email: str, password: str, address: str) -> httpx.Response:
    return httpx.post(
        f"{inbox}/v1/auth/login",
        json={"email": email, "password": password},
        headers={"X-Forwarded-For": address},
    )


def reset_request(inbox: str, email: str, address: str) -> httpx.Response:
    return httpx.post(
        f"{inbox}/v1/auth/password-reset",
        json={"email": email},
        headers={"X-Forwarded-For": address},
    )


def test_failures_from_one_address_never_lock_the_owner_out_elsewhere(inbox: Replica) -> None:
    email, _ = sign_up(inbox.url)
    stranger, owner = "203.0.113.7", "198.51.100.20"
    for _ in range(FREE_FAILURES):
        assert login(inbox.url, email, "wrong-password", stranger).status_code == 401
    assert login(inbox.url, email, "wrong-password", stranger).status_code == 401  # starts a wait

    waiting = login(inbox.url, email, PASSWORD, stranger)  # even the right password waits
    assert waiting.status_code == 429, waiting.text
    assert waiting.json()["error"]["code"] == "too_many_failed_logins"
    assert 0 < int(waiting.headers["retry-after"]) <= 60
    assert login(inbox.url, email, PASSWORD, owner).status_code == 200

    notice = inbox.sink.wait_for(email, "Failed logins to your Baton inbox")
    body = notice.get_body(preferencelist=("plain",))
    assert body is not None and stranger in body.get_content()


def test_a_new_password_starts_the_count_over(inbox: Replica) -> None:
    email, _ = sign_up(inbox.url)
    shared = "192.0.2.44"  # the owner's office, where someone kept guessing
    for _ in range(FREE_FAILURES + 1):
        assert login(inbox.url, email, "wrong-password", shared).status_code == 401
    assert login(inbox.url, email, PASSWORD, shared).status_code == 429

    assert reset_request(inbox.url, email, shared).status_code == 202
    token = token_of(link_in(inbox.sink.wait_for(email, "Reset your Baton password")))
    confirm = httpx.post(
        f"{inbox.url}/v1/auth/password-reset/confirm",
        json={"token": token, "password": "a-brand-new-password"},
    )
    assert confirm.status_code == 204
    assert login(inbox.url, email, "a-brand-new-password", shared).status_code == 200


def test_sign_ups_are_limited_per_address(inbox: Replica) -> None:
    def sign_up_from(address: str) -> httpx.Response:
        return httpx.post(
            f"{inbox.url}/v1/accounts",
            json={
                "account_name": "Acme",
                "email": f"o-{uuid.uuid4().hex[:8]}@example.test",
                "password": PASSWORD,
            },
            headers={"X-Forwarded-For": address},
        )

    assert [sign_up_from("203.0.113.50").status_code for _ in range(4)] == [202, 202, 202, 429]
    refused = sign_up_from("203.0.113.50")
    assert refused.json()["error"]["code"] == "too_many_signups"
    assert int(refused.headers["retry-after"]) > 0
    assert sign_up_from("203.0.113.51").status_code == 202


def test_reset_mails_are_limited_per_email_from_any_address(inbox: Replica) -> None:
    email, _ = sign_up(inbox.url)
    answers = [reset_request(inbox.url, email, f"203.0.113.{n}").status_code for n in (60, 61, 62)]
    assert answers == [202, 202, 429]
    unknown = f"nobody-{uuid.uuid4().hex[:6]}@example.test"
    unknown_answers = [reset_request(inbox.url, unknown, "203.0.113.63").status_code for _ in "abc"]
    assert unknown_answers == answers  # the same answers whether or not a login exists
