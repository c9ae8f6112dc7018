"""The handoff report over the real stack: threads a visitor started (one the AI settled,
one escalated and answered by a teammate) show in the period's figures and its day series;
CSV export; bad periods are a 422 naming the field. Counted as differences, since the
session's account also holds other tests' threads; `ai_after_teammate` is absolute: 0."""

import csv
import io
import uuid
from typing import Any

import httpx
import pytest

from tests.integration.conftest import DEMO_ORIGIN, Seeded
from tests.integration.test_escalations import ai_messages, thread, wait_for
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration


def report(seeded: Seeded, **params: str) -> httpx.Response:
    return httpx.get(
        f"{seeded.inbox}/v1/reports/summary",
        params=params,
        headers={"Authorization": f"Bearer {seeded.staff_token}"},
    )


def figures(seeded: Seeded) -> dict[str, Any]:
    response = report(seeded)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_the_period_counts_what_the_ai_settled_and_what_a_teammate_answered(
    seeded: Seeded,
) -> None:
    before = figures(seeded)
    settled = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
    settled.send("How do I import my contacts?")
    wait_for(lambda: ai_messages(settled))
    escalated = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key, name="Report Ray")
    escalated.send("I want to talk to a real person please")
    wait_for(lambda: (t := thread(seeded, escalated.thread_id)) and t.get("needs_human"))
    replied = httpx.post(
        f"{seeded.inbox}/v1/threads/{escalated.thread_id}/messages",
        json={"text": "Hi Ray, a teammate here."},
        headers={"Authorization": f"Bearer {seeded.staff_token}"},
    )
    assert replied.status_code == 202, replied.text
    wait_for(lambda: not (thread(seeded, escalated.thread_id) or {}).get("needs_human", True))

    after = figures(seeded)
    assert after["threads"] - before["threads"] == 2
    assert after["conversations"] - before["conversations"] == 2
    assert after["escalations"] - before["escalations"] == 1
    reasons_before, reasons_after = before["escalations_by_reason"], after["escalations_by_reason"]
    assert reasons_after["asked_for_human"] - reasons_before.get("asked_for_human", 0) == 1
    assert after["first_human_replies"] - before["first_human_replies"] == 1
    assert after["first_human_reply_p50_s"] is not None
    assert after["ai_after_teammate"] == 0
    assert after["ai_resolution_rate"] is not None and 0 < after["ai_resolution_rate"] <= 1
    assert len(after["days"]) == 7 and after["days"][-1]["date"] == after["to"]
    assert after["days"][-1]["threads"] - before["days"][-1]["threads"] == 2

    exported = report(seeded, format="csv")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [row["date"] for row in rows] == [day["date"] for day in after["days"]]
    assert int(rows[-1]["threads"]) == after["days"][-1]["threads"]

    other_bot = report(seeded, bot_id=str(uuid.uuid4()))
    assert other_bot.status_code == 200 and other_bot.json()["threads"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-12-05", "to": "2026-12-01"}, "query.from"),
        ({"from": "2026-13-01"}, "query.from"),
        ({"from": "2024-01-01", "to": "2026-01-01"}, "query.to"),
        ({"format": "xml"}, "query.format"),
    ],
)
def test_a_bad_period_is_a_422_naming_its_field(
    seeded: Seeded, params: dict[str, str], field: str
) -> None:
    response = report(seeded, **params)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field


def test_another_accounts_report_never_counts_these_threads(
    seeded: Seeded, other_account: Seeded
) -> None:
    before = figures(other_account)["threads"]
    visitor = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key)
    visitor.send("How do I import my contacts?")
    wait_for(lambda: ai_messages(visitor))
    wait_for(lambda: thread(seeded, visitor.thread_id))
    assert figures(seeded)["threads"] >= 1
    assert figures(other_account)["threads"] == before
