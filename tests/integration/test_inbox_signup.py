"""Sign-up confirmed by e-mail: the answer never tells whether an address has a login, and a
link opened without the sign-up's password creates nothing."""

import time
import uuid

import httpx
import pytest

from tests.support.inbox_harness import (
    PASSWORD,
    Replica,
    bearer,
    confirm_sign_up,
    link_in,
    replica,
    request_sign_up,
    sign_up,
    token_of,
)

pytestmark = pytest.mark.integration
__all__ = ["replica"]

CONFIRM_SUBJECT = "Confirm your new Baton inbox"


def ask(inbox: str, email: str, password: str = PASSWORD) -> httpx.Response:
    return httpx.post(
        f"{inbox}/v1/accounts",
        json={"account_name": "Another Co", "email": email, "password": password},
    )


def confirmation_tokens(replica: Replica, email: str) -> list[str]:
    return [
        token_of(link_in(m))
        for m in replica.sink.messages()
        if m["To"] == email and CONFIRM_SUBJECT in str(m["Subject"])
    ]


def test_an_address_with_a_login_gets_the_same_answer_and_a_note_by_mail(
    replica: Replica,
) -> None:
    taken, _ = sign_up(replica.url)
    free = f"free-{uuid.uuid4().hex[:8]}@example.test"
    answers = [ask(replica.url, taken.upper()), ask(replica.url, free)]
    assert [a.status_code for a in answers] == [202, 202]
    assert answers[0].json() == answers[1].json()

    note = replica.sink.wait_for(taken, "You already have a Baton login")
    assert f"{replica.url}/reset" in note.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    replica.sink.wait_for(free, CONFIRM_SUBJECT)
    to_taken = [subject for to, subject in replica.sink.subjects() if to == taken]
    assert to_taken.count(CONFIRM_SUBJECT) == 1  # its own sign-up's, none for the second


def test_nothing_exists_until_the_link_is_confirmed_with_the_sign_up_password(
    replica: Replica,
) -> None:
    email = request_sign_up(replica.url, "Confirm Co")
    # not a login yet
    early = httpx.post(f"{replica.url}/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert early.status_code == 401

    wrong = confirm_sign_up(replica.url, email, password="someone-elses-password")
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "bad_credentials"
    created = confirm_sign_up(replica.url, email)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["email"] == email
    me = httpx.get(f"{replica.url}/v1/me", headers=bearer(body["token"])).json()
    assert me["staff"]["role"] == "owner" and me["account"]["name"] == "Confirm Co"

    again = confirm_sign_up(replica.url, email)
    assert again.status_code == 404 and again.json()["error"]["code"] == "link_invalid"


def test_five_wrong_passwords_end_the_link(replica: Replica) -> None:
    email = request_sign_up(replica.url)
    answers = [confirm_sign_up(replica.url, email, f"guess-{n}").status_code for n in range(5)]
    assert answers == [401] * 5
    assert confirm_sign_up(replica.url, email).status_code == 404


def test_a_second_sign_up_replaces_the_first_link(replica: Replica) -> None:
    email = request_sign_up(replica.url)
    replica.sink.wait_for(email, CONFIRM_SUBJECT)
    first = confirmation_tokens(replica, email)[0]
    assert ask(replica.url, email, "the-second-password").status_code == 202

    deadline = time.monotonic() + 15
    while len(links := confirmation_tokens(replica, email)) < 2:
        assert time.monotonic() < deadline, "the second confirmation never came"
        time.sleep(0.1)
    # the sink's files are not in send order: the second link is the one that is not the first
    [second] = [token for token in links if token != first]
    confirm = f"{replica.url}/v1/accounts/confirm"
    stale = httpx.post(confirm, json={"token": first, "password": PASSWORD})
    assert stale.status_code == 404
    fresh = httpx.post(confirm, json={"token": second, "password": "the-second-password"})
    assert fresh.status_code == 201, fresh.text


def test_a_link_for_an_address_that_got_a_login_since_is_refused(replica: Replica) -> None:
    email = request_sign_up(replica.url)
    token = token_of(link_in(replica.sink.wait_for(email, CONFIRM_SUBJECT)))
    _, owner = sign_up(replica.url)
    invited = httpx.post(
        f"{replica.url}/v1/invites", json={"email": email, "role": "agent"}, headers=bearer(owner)
    )
    assert invited.status_code == 201
    invite = token_of(link_in(replica.sink.wait_for(email, "invited you")))
    accepted = httpx.post(
        f"{replica.url}/v1/invites/accept",
        json={"token": invite, "name": "Kim", "password": PASSWORD},
    )
    assert accepted.status_code == 201

    late = httpx.post(
        f"{replica.url}/v1/accounts/confirm", json={"token": token, "password": PASSWORD}
    )
    assert late.status_code == 409 and late.json()["error"]["code"] == "email_taken"


def test_inviting_tells_nobody_who_has_a_login_elsewhere(replica: Replica) -> None:
    elsewhere, _ = sign_up(replica.url, "Elsewhere Ltd")
    _, owner = sign_up(replica.url, "Inviter Inc")
    nobody = f"nobody-{uuid.uuid4().hex[:8]}@example.test"
    answers = [
        httpx.post(
            f"{replica.url}/v1/invites", json={"email": to, "role": "agent"}, headers=bearer(owner)
        )
        for to in (elsewhere, nobody)
    ]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json().keys() == answers[1].json().keys()
    note = replica.sink.wait_for(elsewhere, "invited you")
    assert "#token=" not in note.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "already has a Baton login" in note.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    # one's own teammates are no secret to the team: that is a plain conflict
    me = httpx.get(f"{replica.url}/v1/me", headers=bearer(owner)).json()
    mine = httpx.post(
        f"{replica.url}/v1/invites",
        json={"email": me["staff"]["email"], "role": "agent"},
        headers=bearer(owner),
    )
    assert mine.status_code == 409 and mine.json()["error"]["code"] == "already_teammate"
