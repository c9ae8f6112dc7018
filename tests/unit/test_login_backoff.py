"""The back-off of failed logins: free tries, then waits that double up to a ceiling."""

from baton_runtime.attempts import BackoffRule

RULE = BackoffRule(
    "login-pair", free_failures=5, base_seconds=2, max_seconds=900, window_seconds=60
)


def test_the_first_failures_cost_nothing() -> None:
    assert [RULE.wait_after(n) for n in range(6)] == [None] * 6


def test_each_failure_after_doubles_the_wait_up_to_the_ceiling() -> None:
    assert [RULE.wait_after(n) for n in range(6, 12)] == [2, 4, 8, 16, 32, 64]
    assert RULE.wait_after(15) == 900 and RULE.wait_after(10_000) == 900


def test_the_wait_has_its_own_counter() -> None:
    assert RULE.wait.name != RULE.counter.name
    assert RULE.counter.window_seconds == 60 and RULE.wait.window_seconds == 900
