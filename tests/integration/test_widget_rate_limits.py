"""The widget API's flood limits, counted in the real Redis: sessions per client address and
messages per visitor. A gateway of its own, with small limits, so the count is this test's."""

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pymongo import MongoClient

from tests.support.infra import infra
from tests.support.isolated import IsolatedSystem
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration
ORIGIN = "http://shop.example.test"
BOT_KEY = "rate-limited-bot"


@pytest.fixture(scope="module")
def gateway() -> Iterator[str]:
    system = IsolatedSystem(
        overrides={
            "BATON_GATEWAY_SESSIONS_PER_IP": "3",
            "BATON_GATEWAY_MESSAGES_PER_THREAD": "2",
        }
    )
    client: MongoClient[dict[str, Any]] = MongoClient(infra().mongo_url)
    with client as mongo:
        mongo[system.mongo_db]["bots"].insert_one(
            {
                "_id": str(uuid.uuid4()),
                "bot_key": BOT_KEY,
                "account_id": str(uuid.uuid4()),
                "allowed_origins": [ORIGIN],
            }
        )
    try:
        system.start("gateway")
        system.wait_ready("gateway")
        yield system.url("gateway")
    finally:
        system.discard()


def open_session(gateway: str) -> httpx.Response:
    return httpx.post(
        f"{gateway}/v1/widget/sessions", json={"bot_key": BOT_KEY}, headers={"Origin": ORIGIN}
    )


def test_a_visitor_sending_too_fast_is_told_to_wait(gateway: str) -> None:
    visitor = Visitor.open(gateway, ORIGIN, BOT_KEY)
    assert visitor.send("first").status_code == 202
    assert visitor.send("second").status_code == 202
    third = visitor.send("third")
    assert third.status_code == 429
    assert third.json()["error"]["code"] == "rate_limited"
    assert 0 < int(third.headers["retry-after"]) <= 60
    # the limit is per visitor: a second visitor still gets through
    other = Visitor.open(gateway, ORIGIN, BOT_KEY)
    assert other.send("hello").status_code == 202


def test_one_address_cannot_open_sessions_without_end(gateway: str) -> None:
    # The limit is three per window (the test above may have used some of them).
    statuses = [open_session(gateway) for _ in range(4)]
    codes = [r.status_code for r in statuses]
    assert 429 in codes and set(codes) <= {201, 429}, codes
    assert codes[codes.index(429) :] == [429] * (len(codes) - codes.index(429)), codes
    refused = [r for r in statuses if r.status_code == 429]
    assert refused[0].json()["error"]["code"] == "rate_limited"
    assert int(refused[0].headers["retry-after"]) > 0
