"""The Reports page: in a fresh account, a visitor the AI settles, one who asks for a person
and gets a teammate's reply, and one whose refund question goes to a teammate; the page's
cards, reasons and day-by-day chart say what `GET /v1/reports/summary` says, its CSV link
downloads the same period, the bot filter and the period presets change the report; a period
that ends before it starts shows the server's 422 under the From date; an agent reads it too.

`BATON_WRITE_SCREENSHOTS=1` also writes docs/screenshots/inbox-reports.png; otherwise it goes
to a temporary folder, as in test_inbox_settings.py.
"""

import csv
import io
import re
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser_inbox.a11y import serious_violations
from tests.e2e.browser_inbox.conftest import (
    ORIGIN,
    PASSWORD,
    Stack,
    Teammate,
    _seed,
    log_in,
    log_in_as_admin,
)
from tests.e2e.browser_inbox.screenshots import whole_page_screenshot
from tests.support.inbox_harness import bearer
from tests.support.waiting import eventually
from tests.support.widget import Visitor

pytestmark = pytest.mark.e2e

REASON_LABELS = {  # labels.js
    "asked_for_human": "Asked for a person",
    "sensitive_topic": "Sensitive topic",
    "out_of_docs": "Not in the docs",
    "unresolved": "Unresolved",
}
WAIT_S = 30.0


def spoken(seconds: float | None) -> str:
    """What reports.js shows for a duration: "2 min 5 s" (rounded half up, as Math.round)."""
    if seconds is None:
        return "—"
    s = int(seconds + 0.5)

    def parts(big: int, big_unit: str, small: int, small_unit: str) -> str:
        return f"{big} {big_unit} {small} {small_unit}" if small else f"{big} {big_unit}"

    if s < 60:
        return f"{s} s"
    if s < 3600:
        return parts(s // 60, "min", s % 60, "s")
    if s < 86400:
        return parts(s // 3600, "h", s % 3600 // 60, "min")
    return parts(s // 86400, "d", s % 86400 // 3600, "h")


def test_spoken_durations() -> None:
    assert [spoken(v) for v in (None, 0.4, 59.5, 125, 3600, 4980.2, 90000)] == [
        "—", "0 s", "1 min", "2 min 5 s", "1 h", "1 h 23 min", "1 d 1 h",
    ]  # fmt: skip


def _summary(stack: Stack, token: str, **params: str) -> httpx.Response:
    return httpx.get(f"{stack.inbox}/v1/reports/summary", params=params, headers=bearer(token))


def _figures(stack: Stack, token: str, **params: str) -> dict[str, Any]:
    response = _summary(stack, token, **params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _thread(stack: Stack, token: str, thread_id: str) -> dict[str, Any]:
    response = httpx.get(f"{stack.inbox}/v1/threads/{thread_id}", headers=bearer(token))
    body: dict[str, Any] = response.json() if response.status_code == 200 else {}
    return body


def _seeded_account(stack: Stack, account_name: str) -> tuple[str, str, str]:
    """A fresh account with the demo help center's bot and a second, quiet bot; three threads
    of today: one the AI settles, one escalated and answered, one escalated and waiting.
    Its owner's e-mail and token, and the quiet bot's id."""
    suffix = uuid.uuid4().hex[:8]
    email = f"alex-{suffix}@orbit.example"
    ids = _seed(stack.system, account_name, email, f"reports-{suffix}")
    stack.system.ingest(ids["bot_id"], "https://help.orbit.test")
    quiet = _seed(stack.system, account_name, email, f"reports-quiet-{suffix}")
    login = httpx.post(f"{stack.inbox}/v1/auth/login", json={"email": email, "password": PASSWORD})
    login.raise_for_status()
    token = str(login.json()["token"])
    renamed = httpx.patch(
        f"{stack.inbox}/v1/bots/{quiet['bot_id']}",
        json={"name": "Billing bot"},
        headers=bearer(token),
    )
    assert renamed.status_code == 200, renamed.text

    key = f"reports-{suffix}"
    settled = Visitor.open(stack.gateway, ORIGIN, key, name="Ada Lovelace")
    assert settled.send("How do I import my contacts?").status_code == 202
    eventually(settled.history, lambda ms: any(m["author"] == "ai" for m in ms), WAIT_S, 0.2)

    answered = Visitor.open(stack.gateway, ORIGIN, key, name="Grace Hopper")
    assert answered.send("I want to talk to a real person please").status_code == 202
    read = lambda: _thread(stack, token, answered.thread_id)  # noqa: E731
    eventually(read, lambda t: bool(t.get("needs_human")), WAIT_S, 0.2)
    reply = httpx.post(
        f"{stack.inbox}/v1/threads/{answered.thread_id}/messages",
        json={"text": "Hi Grace, Alex here. How can I help?"},
        headers=bearer(token),
    )
    assert reply.status_code == 202, reply.text
    eventually(read, lambda t: t.get("needs_human") is False, WAIT_S, 0.2)

    waiting = Visitor.open(stack.gateway, ORIGIN, key, name="Linus Torvalds")
    assert waiting.send("Please refund our last payment, we were charged twice.").status_code == 202
    eventually(
        lambda: _thread(stack, token, waiting.thread_id),
        lambda t: bool(t.get("needs_human")),
        WAIT_S,
        0.2,
    )

    def settled_figures(f: dict[str, Any]) -> bool:
        return (f["threads"], f["conversations"], f["escalations"], f["first_human_replies"]) == (
            3, 3, 2, 1,
        )  # fmt: skip

    eventually(lambda: _figures(stack, token), settled_figures, WAIT_S, 0.2)
    return email, token, str(quiet["bot_id"])


def _value(page: Page, card: str) -> Any:
    return page.locator(f"#{card} .card-value")


def _check_cards(page: Page, figures: dict[str, Any]) -> None:
    for card, field in [
        ("card-threads", "threads"),
        ("card-conversations", "conversations"),
        ("card-escalations", "escalations"),
        ("card-breaches", "target_breaches"),
        ("card-ai-after", "ai_after_teammate"),
    ]:
        expect(_value(page, card)).to_have_text(str(figures[field]))
    rate = figures["ai_resolution_rate"]
    expect(_value(page, "card-ai-rate")).to_have_text(
        "—" if rate is None else f"{int(rate * 100 + 0.5)}%"
    )
    expect(_value(page, "card-reply-p50")).to_have_text(spoken(figures["first_human_reply_p50_s"]))
    expect(_value(page, "card-reply-p90")).to_have_text(spoken(figures["first_human_reply_p90_s"]))


def test_the_report_says_what_the_api_says(page: Page, stack: Stack, tmp_path: Path) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Once per stack: the screenshot's name.
    email, token, quiet_bot = _seeded_account(stack, "Orbit Support")
    log_in_as_admin(page, stack.inbox, email, PASSWORD)
    with page.expect_response(lambda r: "/v1/reports/summary" in r.url) as loaded:
        page.get_by_role("link", name="Reports").click()
    expect(page).to_have_url(f"{stack.inbox}/reports")
    shown = loaded.value.json()
    expect(page.locator("#account-name")).to_have_text("Orbit Support · Reports")
    expect(page.locator("#report-status")).to_contain_text("7 days")

    figures = _figures(stack, token)
    assert figures == shown  # the page asked for the default period: the last 7 days
    assert (figures["threads"], figures["escalations"], figures["ai_after_teammate"]) == (3, 2, 0)
    assert figures["ai_resolution_rate"] == pytest.approx(1 / 3, abs=1e-3)
    assert figures["first_human_reply_p50_s"] is not None
    expect(page.get_by_label("From", exact=True)).to_have_value(figures["from"])
    expect(page.get_by_label("To", exact=True)).to_have_value(figures["to"])
    expect(page.locator("#report-status")).to_contain_text(f"({figures['time_zone']}), all bots")
    expect(page.get_by_role("button", name="Last 7 days")).to_have_attribute("aria-pressed", "true")
    _check_cards(page, figures)
    expect(page.locator("#card-ai-rate .card-value")).to_have_text("33%")
    expect(page.locator("#card-ai-after")).not_to_have_class(re.compile(r"\bproblem\b"))

    # Escalations by reason: every known reason in words, with the API's count.
    assert sum(figures["escalations_by_reason"].values()) == 2
    assert figures["escalations_by_reason"].get("asked_for_human") == 1
    for reason, label in REASON_LABELS.items():
        row = page.locator(f'#reasons tr[data-reason="{reason}"]')
        expect(row.locator("th")).to_have_text(label)
        expect(row.locator(".reason-count")).to_have_text(
            str(figures["escalations_by_reason"].get(reason, 0))
        )

    # The chart: one bar group per day, in order; today's bar split into its kinds.
    days = figures["days"]
    groups = page.locator("#chart svg g.day")
    expect(groups).to_have_count(7)
    assert [groups.nth(i).get_attribute("data-date") for i in range(7)] == [d["date"] for d in days]
    assert [int(groups.nth(i).get_attribute("data-threads") or -1) for i in range(7)] == [
        d["threads"] for d in days
    ]
    today = groups.last
    assert days[-1] == {"date": figures["to"], "threads": 3, "escalations": 2, "ai_resolved": 1}
    expect(today.locator("rect.bar-escalated")).to_have_count(1)
    expect(today.locator("rect.bar-ai")).to_have_count(1)
    expect(today.locator("rect.bar-other")).to_have_count(0)
    expect(today.locator("title")).to_contain_text("3 threads, 2 escalated, 1 settled by the AI")
    chart = page.locator("#chart svg")
    expect(chart).to_have_attribute("role", "img")
    expect(chart).to_have_attribute("aria-label", re.compile(r"3 threads, 2 escalated, 1 settled"))
    expect(page.locator("#chart .chart-axis-title")).to_have_text(
        ["Threads", f"Day ({figures['time_zone']})"]
    )
    # The same numbers as a table, for a screen reader (hidden from the eye only).
    rows = page.locator("#days tr")
    expect(rows).to_have_count(7)
    expect(rows.last.locator("td")).to_have_text(["3", "2", "1"])
    expect(page.get_by_role("table", name="Threads per day")).to_be_attached()

    # Export CSV: a plain link to the same period; the browser downloads it with its cookie.
    link = page.get_by_role("link", name="Export CSV")
    href = link.get_attribute("href") or ""
    query = parse_qs(urlsplit(href).query)
    assert urlsplit(href).path == "/v1/reports/summary"
    assert query == {"from": [figures["from"]], "to": [figures["to"]], "format": ["csv"]}
    exported = page.request.get(f"{stack.inbox}{href}")
    assert exported.status == 200
    assert exported.headers["content-type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(exported.text())))
    assert [(r["date"], int(r["threads"])) for r in lines] == [
        (d["date"], d["threads"]) for d in days
    ]
    with page.expect_download() as download:
        link.click()
    assert (
        download.value.suggested_filename == f"baton-report-{figures['from']}-{figures['to']}.csv"
    )
    assert not serious_violations(page)

    shot = whole_page_screenshot(page, "inbox-reports.png", tmp_path)
    assert shot.stat().st_size > 10_000

    # The bot filter: the quiet bot had no thread; the address and the CSV link follow.
    expect(page.get_by_label("Bot", exact=True)).to_be_visible()
    page.get_by_label("Bot", exact=True).select_option(label="Billing bot")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("#report-status")).to_contain_text("Billing bot")
    expect(_value(page, "card-threads")).to_have_text("0")
    expect(_value(page, "card-ai-rate")).to_have_text("—")
    expect(page.locator("#chart svg g.day rect")).to_have_count(0)
    expect(page).to_have_url(re.compile(f"bot_id={quiet_bot}"))
    assert f"bot_id={quiet_bot}" in (link.get_attribute("href") or "")
    assert _figures(stack, token, bot_id=quiet_bot)["threads"] == 0
    page.reload()  # the address keeps the report
    expect(page.get_by_label("Bot", exact=True)).to_have_value(quiet_bot)
    expect(_value(page, "card-threads")).to_have_text("0")

    # The presets: a period ending today, by keyboard.
    page.get_by_label("Bot", exact=True).select_option(label="All bots")
    page.get_by_role("button", name="Last 30 days").focus()
    page.keyboard.press("Enter")
    expect(groups).to_have_count(30)
    expect(page.get_by_role("button", name="Last 30 days")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.get_by_role("button", name="Last 7 days")).to_have_attribute(
        "aria-pressed", "false"
    )
    month = _figures(stack, token, **{"from": page.get_by_label("From", exact=True).input_value()})
    assert month["to"] == figures["to"] and len(month["days"]) == 30
    _check_cards(page, month)
    expect(page.locator("#days tr")).to_have_count(30)
    page.get_by_role("button", name="Last 7 days").click()
    expect(groups).to_have_count(7)
    expect(page.get_by_label("From", exact=True)).to_have_value(figures["from"])
    assert not errors, errors


def test_a_period_that_ends_before_it_starts_shows_the_servers_422(
    page: Page, stack: Stack
) -> None:
    refused = _summary(stack, stack.owner_token, **{"from": "2026-06-10", "to": "2026-06-01"})
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "query.from"
    assert refused.json()["error"]["message"] == "`from` is after `to`"

    log_in(page, stack, stack.owner_email)
    page.get_by_role("link", name="Reports").click()
    expect(page.locator("#chart svg g.day")).to_have_count(7)
    before = page.locator("#report-status").inner_text()
    page.get_by_label("From", exact=True).fill("2026-06-10")
    page.get_by_label("To", exact=True).fill("2026-06-01")
    with page.expect_response(lambda r: "/v1/reports/summary" in r.url) as answer:
        page.get_by_role("button", name="Show", exact=True).click()
    assert answer.value.status == 422
    assert answer.value.json() == refused.json()
    error = page.locator("#from-error")
    expect(error).to_have_text("The From date is after the To date.")
    expect(error).to_have_attribute("role", "alert")
    assert (
        page.locator("#from-error").evaluate("e => e.closest('.field').querySelector('input').id")
        == "from"
    )
    expect(page.get_by_label("From", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("From", exact=True)).to_have_attribute(
        "aria-describedby", "from-error"
    )
    expect(page.get_by_label("From", exact=True)).to_be_focused()
    expect(page.locator("#report-status")).to_contain_text("Not updated")
    expect(page.locator("#chart svg g.day")).to_have_count(7)  # the previous report stays
    assert not serious_violations(page)

    # Too long a period: the server names `to`.
    page.get_by_label("From", exact=True).fill("2025-01-01")
    page.get_by_label("To", exact=True).fill("2026-06-01")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("#to-error")).to_have_text("At most 366 days at once.")
    expect(page.locator("#from-error")).to_have_count(0)
    expect(page.get_by_label("To", exact=True)).to_be_focused()

    page.get_by_label("From", exact=True).fill("2026-05-26")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("#chart svg g.day")).to_have_count(7)
    expect(page.locator(".field-error")).to_have_count(0)
    expect(page.locator("#report-status")).not_to_have_text(before)
    expect(page.locator("#report-status")).to_contain_text("Tue, May 26, 2026")

    # The same refusal from the address: shown at its field on load.
    page.goto(f"{stack.inbox}/reports?from=2026-06-10&to=2026-06-01")
    expect(page.locator("#from-error")).to_have_text("The From date is after the To date.")
    expect(page.locator("#report-status")).to_have_text("No report.")


def test_an_agent_reads_the_report(page: Page, stack: Stack, teammate: Teammate) -> None:
    log_in(page, stack, teammate.email)
    page.get_by_role("link", name="Reports").click()
    expect(page).to_have_url(f"{stack.inbox}/reports")
    expect(page.locator("#chart svg g.day")).to_have_count(7)
    expect(page.locator("#account-name")).to_contain_text("· Reports")
    expect(page.locator("#error")).to_be_empty()
    expect(_value(page, "card-ai-after")).to_have_text("0")
    expect(
        page.get_by_label("Bot", exact=True)
    ).to_be_visible()  # the session's account has two bots
