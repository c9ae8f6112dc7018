"""Accounts through the pages: sign up and confirm by the e-mailed link, invite a teammate who follows the e-mailed link, reset
a forgotten password, remove the teammate."""

import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser_inbox.conftest import Stack, new_context
from tests.support.inbox_harness import link_in

pytestmark = pytest.mark.e2e


def test_sign_up_invite_accept_reset_and_remove(page: Page, browser: Browser, stack: Stack) -> None:
    owner = f"founder-{uuid.uuid4().hex[:6]}@example.test"
    page.goto(f"{stack.inbox}/signup")
    page.get_by_label("Company or team name").fill("Lighthouse Labs")
    page.get_by_label("Your e-mail").fill(owner)
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#password-error")).to_have_text(
        "The password needs at least 8 characters."
    )
    expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Password").fill("lighthouse-owner-1")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status")).to_contain_text(f"we sent a link to {owner}")
    expect(page.locator("#form")).to_be_hidden()

    page.goto(link_in(stack.sink.wait_for(owner, "Confirm your new Baton inbox")))
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Create my inbox").click()
    expect(page.get_by_role("alert")).to_have_text("This is not the password chosen at sign-up.")
    page.get_by_label("Password").fill("lighthouse-owner-1")
    page.get_by_role("button", name="Create my inbox").click()
    expect(page).to_have_url(f"{stack.inbox}/")
    expect(page.locator("#account-name")).to_have_text("Lighthouse Labs")
    expect(page.locator(".thread-row")).to_have_count(0)

    page.get_by_role("link", name="Team").click()
    invitee = f"keeper-{uuid.uuid4().hex[:6]}@example.test"
    page.get_by_label("E-mail").fill(invitee)
    page.get_by_label("Role").select_option("agent")
    page.get_by_role("button", name="Send invite").click()
    expect(page.locator("#invite-notice")).to_contain_text(invitee)
    expect(page.locator("#invites")).to_contain_text(invitee)

    link = link_in(stack.sink.wait_for(invitee, "invited you"))
    other = new_context(browser)
    try:
        keeper = other.new_page()
        keeper.goto(link)
        expect(keeper.locator("#intro")).to_contain_text("invited you to the Lighthouse Labs inbox")
        expect(keeper.get_by_label("E-mail")).to_have_value(invitee)
        keeper.get_by_label("Your name").fill("Kim Keeper")
        keeper.get_by_label("Choose a password").fill("keeper-password-1")
        keeper.get_by_role("button", name="Join the inbox").click()
        expect(keeper.locator("#me")).to_have_text("Kim Keeper · agent")
        expect(keeper.locator("#team-link")).to_be_hidden()
        keeper.get_by_role("button", name="Log out").click()

        # Forgot the password: the reset link from the e-mail sets a new one.
        keeper.get_by_role("link", name="Forgot your password?").click()
        keeper.get_by_label("E-mail").fill(invitee)
        keeper.get_by_role("button", name="Send the link").click()
        expect(keeper.locator("#notice")).to_contain_text("on its way")
        keeper.goto(link_in(stack.sink.wait_for(invitee, "Reset your Baton password")))
        keeper.get_by_label("New password").fill("keeper-password-2")
        keeper.get_by_role("button", name="Set the new password").click()
        expect(keeper.locator("#notice")).to_contain_text("password is changed")
        keeper.get_by_label("E-mail").fill(invitee)
        keeper.get_by_label("Password").fill("keeper-password-2")
        keeper.get_by_role("button", name="Log in").click()
        expect(keeper.locator("body")).to_have_attribute("data-live", "live")

        # The owner removes the teammate; their open session ends with it.
        page.reload()
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Remove Kim Keeper").click()
        expect(page.locator("#staff")).not_to_contain_text("Kim Keeper")
        keeper.reload()
        expect(keeper).to_have_url(f"{stack.inbox}/login?next=%2F")
    finally:
        other.close()
