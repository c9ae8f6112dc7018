"""A message whose answer keeps failing: outages are retried for ever, anything else is handed
to a teammate after a few attempts, so one broken message cannot hold its partition."""

import httpx
import pymongo.errors
import pytest
import redis.exceptions

from baton_agent.answer_failures import MAX_ATTEMPTS, AnswerFailures, is_outage
from baton_retrieval.embedding_models import EmbeddingModelMismatch


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "refused"),
        TimeoutError(),
        httpx.ConnectError("chroma away"),
        redis.exceptions.ConnectionError("redis away"),
        pymongo.errors.AutoReconnect("primary stepped down"),
        pymongo.errors.ServerSelectionTimeoutError("no server"),
    ],
)
def test_an_outage_is_retried_however_long_it_lasts(error: BaseException) -> None:
    failures = AnswerFailures()
    assert is_outage(error)
    assert not any(failures.give_up("m1", error) for _ in range(MAX_ATTEMPTS * 5))


@pytest.mark.parametrize(
    "error",
    [EmbeddingModelMismatch("bot-1 holds 'bge-small'"), KeyError("section"), ValueError("x")],
)
def test_a_failure_no_retry_fixes_is_handed_over_at_the_last_attempt(error: Exception) -> None:
    failures = AnswerFailures()
    assert not is_outage(error)
    verdicts = [failures.give_up("m1", error) for _ in range(MAX_ATTEMPTS)]
    assert verdicts == [False] * (MAX_ATTEMPTS - 1) + [True]


def test_each_message_has_its_own_count_and_an_outage_does_not_add_to_it() -> None:
    failures = AnswerFailures(max_attempts=2)
    broken = ValueError("bad page")
    assert not failures.give_up("m1", broken)
    assert not failures.give_up("m2", broken)  # another message starts at one
    assert not failures.give_up("m1", redis.exceptions.ConnectionError("blip"))
    assert failures.give_up("m1", broken)
    assert failures.give_up("m2", broken)
