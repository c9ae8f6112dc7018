"""The Account settings page: the owner sets the time zone (from the browser's), a working
week, a holiday, the response target and an alert recipient, and finds them kept after a
reload and over the API; an overlapping interval shows the server's 422 next to that interval
and saves nothing; an agent sees the settings read-only, with no Save.

`BATON_WRITE_SCREENSHOTS=1` also writes docs/screenshots/inbox-settings.png (the filled page);
otherwise it goes to a temporary folder, as in test_inbox_screenshots.py.
"""

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser_inbox.a11y import serious_violations
from tests.e2e.browser_inbox.conftest import (
    PASSWORD,
    TIMEOUT_MS,
    Stack,
    _seed,
    log_in,
    log_in_as_admin,
)
from tests.e2e.browser_inbox.screenshots import whole_page_screenshot
from tests.support.inbox_harness import bearer, invite_and_accept_on

pytestmark = pytest.mark.e2e

WORKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
BERLIN_WEEK: dict[str, Any] = {
    "time_zone": "Europe/Berlin",
    "business_hours": {
        day: [{"start": "09:00", "end": "17:00"}] for day in ("mon", "tue", "wed", "thu", "fri")
    },
    "holidays": ["2026-12-24"],
    "response_target_seconds": 600,
    "digest_enabled": True,
    "digest_recipients": None,
    "alert_recipients": ["lead@orbit.example"],
}


def _owner(stack: Stack, account_name: str) -> tuple[str, str]:
    """A fresh account (owner Alex Morgan): its e-mail and its token. The account's name
    must be new: seeding finds an account by its name."""
    suffix = uuid.uuid4().hex[:8]
    email = f"alex-{suffix}@orbit.example"
    _seed(stack.system, account_name, email, f"settings-{suffix}")
    login = httpx.post(f"{stack.inbox}/v1/auth/login", json={"email": email, "password": PASSWORD})
    login.raise_for_status()
    return email, str(login.json()["token"])


def _settings(stack: Stack, token: str) -> dict[str, Any]:
    response = httpx.get(f"{stack.inbox}/v1/account/settings", headers=bearer(token))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def berlin_page(browser: Browser) -> Iterator[Page]:
    """A page in a browser whose clock is in Berlin (its "use my browser's zone")."""
    context = browser.new_context(
        viewport={"width": 1440, "height": 900}, locale="en-US", timezone_id="Europe/Berlin"
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_the_owner_sets_the_week_and_finds_it_kept(
    berlin_page: Page, stack: Stack, tmp_path: Path
) -> None:
    page = berlin_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    email, token = _owner(stack, "Orbit Support")  # once per stack: the screenshot's name
    log_in_as_admin(page, stack.inbox, email, PASSWORD)
    page.get_by_role("link", name="Settings").click()
    expect(page).to_have_url(f"{stack.inbox}/settings")
    expect(page.locator("#account-name")).to_have_text("Orbit Support · Settings")
    expect(page.locator("#saved-by")).to_have_text("Not saved yet: these are the defaults.")
    expect(page.locator("#open-state")).to_contain_text("Open now")
    expect(page.get_by_label("Time zone")).to_have_value("UTC")
    expect(page.get_by_label("Always open")).to_be_checked()
    expect(page.get_by_label("Response target")).to_have_value("3")

    page.get_by_role("button", name="Use my browser's zone (Europe/Berlin)").click()
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")
    page.get_by_label("Open on set hours").check()
    expect(page.locator("#hours tr")).to_have_count(7)
    for day in WORKDAYS:
        page.get_by_role("button", name=f"Add hours on {day}").click()
        expect(page.get_by_label(f"{day}, interval 1, opens")).to_be_focused()
        page.get_by_label(f"{day}, interval 1, opens").fill("09:00")
        page.get_by_label(f"{day}, interval 1, closes").fill("17:00")
    page.get_by_role("button", name="Add a holiday").click()
    page.get_by_label("Holiday 1", exact=True).fill("2026-12-24")
    page.get_by_label("Response target").fill("10")
    page.get_by_label("Response-target alert recipients").fill("lead@orbit.example")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#settings-status")).to_have_text("Saved.")
    expect(page.locator("#saved-by")).to_contain_text("Last saved by Alex Morgan at ")

    page.reload()
    expect(page.locator("#saved-by")).to_contain_text("Last saved by Alex Morgan at ")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")
    expect(page.get_by_label("Open on set hours")).to_be_checked()
    expect(page.locator("#weekly")).to_be_visible()
    for day in WORKDAYS:
        expect(page.get_by_label(f"{day}, interval 1, opens")).to_have_value("09:00")
        expect(page.get_by_label(f"{day}, interval 1, closes")).to_have_value("17:00")
    for day in ("sat", "sun"):
        expect(page.locator(f"#hours-cell-{day}")).to_contain_text("Closed")
        expect(page.locator(f"#hours-cell-{day} input")).to_have_count(0)
    expect(page.get_by_label("Holiday 1", exact=True)).to_have_value("2026-12-24")
    expect(page.get_by_label("Response target")).to_have_value("10")
    expect(page.get_by_label("Send the digest")).to_be_checked()
    expect(page.get_by_label("Digest recipients")).to_have_value("")
    expect(page.get_by_label("Response-target alert recipients")).to_have_value(
        "lead@orbit.example"
    )

    stored = _settings(stack, token)
    assert {field: stored[field] for field in BERLIN_WEEK} == BERLIN_WEEK
    assert stored["updated_by"] == "Alex Morgan"
    state = page.locator("#open-state")
    if stored["open_now"]:
        expect(state).to_have_text("Open now")
    else:
        # The reader's clock is Berlin's too: no second time in brackets.
        expect(state).to_have_text(re.compile(r"^Closed — opens [^()]+$"))
    assert not errors, errors

    shot = whole_page_screenshot(page, "inbox-settings.png", tmp_path)
    assert shot.stat().st_size > 10_000


def test_an_overlap_is_shown_at_its_interval_and_nothing_is_saved(page: Page, stack: Stack) -> None:
    email, token = _owner(stack, f"Overlaps {uuid.uuid4().hex[:8]}")
    log_in_as_admin(page, stack.inbox, email, PASSWORD)
    page.goto(f"{stack.inbox}/settings")
    page.get_by_label("Open on set hours").check()
    page.get_by_role("button", name="Add hours on Monday").click()
    page.get_by_label("Monday, interval 1, opens").fill("09:00")
    page.get_by_label("Monday, interval 1, closes").fill("13:00")
    page.get_by_role("button", name="Add hours on Monday").click()
    page.get_by_label("Monday, interval 2, opens").fill("12:00")
    page.get_by_label("Monday, interval 2, closes").fill("18:00")
    with page.expect_response("**/v1/account/settings") as answer:
        page.get_by_role("button", name="Save settings").click()
    assert answer.value.status == 422
    assert answer.value.json()["error"]["field"] == "business_hours"

    # The server names only the field and the two intervals: the page finds the later one.
    error = page.locator("#hours-mon-1-error")
    expect(error).to_have_text("Monday: 09:00-13:00 overlaps 12:00-18:00.")
    expect(error).to_have_attribute("role", "alert")
    second = page.get_by_label("Monday, interval 2, opens")
    expect(second).to_have_attribute("aria-invalid", "true")
    expect(second).to_have_attribute("aria-describedby", "hours-mon-1-error")
    expect(second).to_be_focused()
    expect(page.get_by_label("Monday, interval 1, opens")).not_to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.locator("#settings-status")).to_have_text("Not saved.")
    stored = _settings(stack, token)
    assert stored["business_hours"] is None and stored["updated_at"] is None

    # An error the server names by its place (business_hours.mon.0) goes there too.
    page.get_by_label("Monday, interval 1, closes").fill("08:00")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#hours-mon-0-error")).to_contain_text("ends before it starts")
    expect(page.locator("#hours-mon-1-error")).to_have_count(0)
    expect(page.get_by_label("Monday, interval 1, opens")).to_be_focused()

    # And one of a named box (time_zone) under that box.
    page.get_by_label("Monday, interval 1, closes").fill("12:00")
    page.get_by_label("Time zone").fill("Mars/Olympus_Mons")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#time-zone-error")).to_contain_text("Unknown time zone")
    expect(page.get_by_label("Time zone")).to_have_attribute("aria-invalid", "true")
    assert _settings(stack, token)["updated_at"] is None

    page.get_by_label("Time zone").fill("Europe/Berlin")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#settings-status")).to_have_text("Saved.")
    expect(page.locator(".field-error")).to_have_count(0)
    assert _settings(stack, token)["business_hours"] == {
        "mon": [{"start": "09:00", "end": "12:00"}, {"start": "12:00", "end": "18:00"}]
    }


def test_an_agent_sees_the_settings_read_only(page: Page, stack: Stack) -> None:
    _, owner_token = _owner(stack, f"Read only {uuid.uuid4().hex[:8]}")
    saved = httpx.put(
        f"{stack.inbox}/v1/account/settings", json=BERLIN_WEEK, headers=bearer(owner_token)
    )
    assert saved.status_code == 200, saved.text
    agent_email, agent_token = invite_and_accept_on(
        stack.inbox, stack.sink, owner_token, "agent", "Sam Rivera", PASSWORD
    )
    log_in(page, stack, agent_email)
    page.get_by_role("link", name="Settings").click()
    expect(page).to_have_url(f"{stack.inbox}/settings")
    expect(page.locator("#read-only-note")).to_have_text(
        re.compile("^Only the owner and admins change these settings")
    )
    expect(page.locator("#saved-by")).to_contain_text("Last saved by Alex Morgan")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")
    expect(page.get_by_label("Time zone")).not_to_be_editable()
    expect(page.get_by_label("Monday, interval 1, opens")).to_have_value("09:00")
    expect(page.get_by_label("Monday, interval 1, opens")).not_to_be_editable()
    expect(page.get_by_label("Holiday 1", exact=True)).to_have_value("2026-12-24")
    expect(page.get_by_label("Response target")).to_have_value("10")
    expect(page.get_by_label("Response target")).not_to_be_editable()
    expect(page.get_by_label("Open on set hours")).to_be_disabled()
    expect(page.get_by_label("Send the digest")).to_be_disabled()
    expect(page.get_by_label("Response-target alert recipients")).not_to_be_editable()
    expect(page.locator("#hours-cell-sat")).to_have_text("Closed")

    expect(page.get_by_role("button", name="Save settings")).to_have_count(0)
    expect(page.locator("#save")).to_be_hidden()
    expect(page.get_by_role("button", name=re.compile("^(Add|Remove|Use my)"))).to_have_count(0)
    assert not serious_violations(page)
    refused = httpx.put(
        f"{stack.inbox}/v1/account/settings", json=BERLIN_WEEK, headers=bearer(agent_token)
    )
    assert refused.status_code == 403, refused.text
