import time

import pytest

from baton_runtime.tokens import InvalidTokenError, sign_token, verify_token


def test_round_trip() -> None:
    token = sign_token("s3cret", "visitor", {"thread_id": "t"}, 60)
    assert verify_token("s3cret", "visitor", token)["thread_id"] == "t"


@pytest.mark.parametrize(
    "mutate",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: "x" + t,
        lambda t: "nodot",
        lambda t: "",
    ],
)
def test_tampered_tokens_are_refused(mutate: object) -> None:
    token = sign_token("s3cret", "visitor", {"thread_id": "t"}, 60)
    with pytest.raises(InvalidTokenError):
        verify_token("s3cret", "visitor", mutate(token))  # type: ignore[operator]


def test_wrong_secret_or_purpose_is_refused() -> None:
    token = sign_token("s3cret", "visitor", {"thread_id": "t"}, 60)
    with pytest.raises(InvalidTokenError):
        verify_token("other", "visitor", token)
    with pytest.raises(InvalidTokenError):
        verify_token("s3cret", "staff", token)


def test_expired_token_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    token = sign_token("s3cret", "staff", {"staff_id": "u"}, 10)
    real = time.time()
    monkeypatch.setattr(time, "time", lambda: real + 11)
    with pytest.raises(InvalidTokenError, match="expired"):
        verify_token("s3cret", "staff", token)
