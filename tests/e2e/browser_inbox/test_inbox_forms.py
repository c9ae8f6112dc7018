"""Set-up forms that say what is wrong, where: a plain sentence under the field that caused it,
marked invalid, in view and announced. And a Bots page that cannot leave a bot silently
refused: creating one asks for the site's address and fills the allowed origins with it."""

import re
import uuid

import httpx
import pytest
from playwright.sync_api import FilePayload, Locator, Page, expect

from tests.e2e.browser_inbox.conftest import PASSWORD, Stack, log_in_as_admin
from tests.support.inbox_harness import link_in, token_of

pytestmark = pytest.mark.e2e
RED = "rgb(180, 35, 24)"  # --needs: the error colour, 6.6:1 on white


def _in_view(locator: Locator) -> bool:
    return bool(
        locator.evaluate(
            """(e) => { const r = e.getBoundingClientRect();
            return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }"""
        )
    )


def _error_of(page: Page, field_id: str) -> Locator:
    return page.locator(f"#{field_id}-error")


def test_bots_page_creates_with_the_site_and_shows_errors_at_their_field(
    page: Page, stack: Stack
) -> None:
    log_in_as_admin(page, stack.inbox, stack.owner_email, PASSWORD)
    page.goto(f"{stack.inbox}/bots")
    page.get_by_label("Your site's address").fill("https://www.orbit-shop.test/pricing")
    page.get_by_role("button", name="Create bot").click()
    name_error = _error_of(page, "create-name")
    expect(name_error).to_have_text("The name is required.")
    expect(page.locator("#create-name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#create-name")).to_be_focused()
    expect(name_error).to_have_attribute("role", "alert")

    page.get_by_label("New bot's name").fill("Orbit shop")
    page.get_by_role("button", name="Create bot").click()
    expect(page.locator("#bot-title")).to_have_text("Orbit shop")
    expect(name_error).to_have_count(0)
    expect(page.locator("#set-origins")).to_have_value("https://www.orbit-shop.test")
    expect(page.locator("#origins-warning")).to_be_hidden()
    expect(page.locator("#set-handback-hint")).to_contain_text("600 seconds (10 minutes)")
    expect(page.locator("#set-handback")).to_have_attribute("placeholder", "600")

    # Pre-chat checkboxes sit right before their words, on the words' line.
    for kind in ("ask", "required"):
        box = page.locator(f'#prechat input[data-field="email"][data-kind="{kind}"]')
        box_rect = box.bounding_box()
        label_rect = box.locator("xpath=..").bounding_box()
        assert box_rect and label_rect
        assert box_rect["width"] < 30, box_rect
        assert abs(box_rect["x"] - label_rect["x"]) < 4, (box_rect, label_rect)
        assert (
            abs(
                (box_rect["y"] + box_rect["height"] / 2)
                - (label_rect["y"] + label_rect["height"] / 2)
            )
            < 4
        )

    page.locator("#set-origins").fill("")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#settings-status")).to_have_text("Saved.")
    expect(page.locator("#origins-warning")).to_be_visible()
    expect(page.locator("#origins-warning")).to_contain_text("widget stays hidden")

    page.locator("#set-origins").fill("www.orbit-shop.test/")
    page.get_by_role("button", name="Save settings").click()
    origins_error = _error_of(page, "set-origins")
    expect(origins_error).to_have_text(
        "Each allowed origin must look like https://www.example.com (scheme and host, no path)."
    )
    assert _in_view(origins_error)

    # An upload without its base URL, far down a long page: the sentence is next to the field.
    faq: FilePayload = {"name": "faq.md", "mimeType": "text/markdown", "buffer": b"# FAQ\n\nHi."}
    page.locator("#upload-files").set_input_files(files=[faq])
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_role("button", name="Upload").click()
    base_error = _error_of(page, "upload-base")
    expect(base_error).to_contain_text(re.compile(r"^The base URL .* is required\.$"))
    expect(base_error).to_have_css("color", RED)
    assert _in_view(base_error)
    expect(page.locator("#upload-base")).to_be_focused()


def test_invite_page_errors_are_sentences_at_the_field(page: Page, stack: Stack) -> None:
    email = f"invitee-{uuid.uuid4().hex[:8]}@example.test"
    invited = httpx.post(
        f"{stack.inbox}/v1/invites",
        json={"email": email, "role": "agent"},
        headers={"Authorization": f"Bearer {stack.owner_token}"},
    )
    assert invited.status_code == 201, invited.text
    token = token_of(link_in(stack.sink.wait_for(email, "invited you")))
    page.goto(f"{stack.inbox}/invite#token={token}")
    page.get_by_label("Your name").fill("Rae")
    page.get_by_label("Choose a password").fill("short")
    page.get_by_role("button", name="Join the inbox").click()
    error = _error_of(page, "password")
    expect(error).to_have_text("The password needs at least 8 characters.")
    expect(error).to_have_css("color", RED)
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    assert "password-error" in (page.locator("#password").get_attribute("aria-describedby") or "")

    accepted = httpx.post(
        f"{stack.inbox}/v1/invites/accept",
        json={"token": token, "name": "Rae", "password": "long-enough-password"},
    )
    assert accepted.status_code == 201, accepted.text
    page.reload()
    expect(page.locator("#intro")).to_have_text(
        "This invitation was already used, has expired or does not exist. "
        "Ask a teammate for a new invitation."
    )
