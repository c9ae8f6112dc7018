"""Signing up: a new account (tenant) with its owner, once the owner's e-mail is confirmed.

The sign-up answer is the same whether or not the address has a login (202, "check your
e-mail"); only the mailbox learns which it was. Confirming takes the link and the password chosen
at sign-up: a link opened by someone who did not sign up (say, the address's real owner, after a
stranger signed up with it) creates nothing, so nobody can plant an account on another's address.
"""

import contextlib
from datetime import timedelta

from fastapi import APIRouter, BackgroundTasks, Request

from baton_inbox.adapters.accounts import (
    EmailTakenError,
    hash_password,
    normalize_email,
    password_matches,
)
from baton_inbox.api.deps import InboxServices, Services
from baton_inbox.api.schemas import AccountCreate, AccountCreated, SignupConfirm, SignupRequested
from baton_inbox.login_guard import LoginGuard, client_address
from baton_inbox.mail.messages import signup_confirmation_email, signup_existing_login_email
from baton_inbox.mail.sender import MailDeliveryError
from baton_inbox.sessions import issue_token
from baton_runtime.errors import ApiError, retry_later

router = APIRouter(prefix="/v1/accounts", tags=["accounts"])

# A sign-up link belongs to no account yet.
NO_ACCOUNT = ""
# Wrong passwords one confirmation link takes before it stops working.
MAX_WRONG_PASSWORDS = 5
LINK_INVALID = "This confirmation link was already used, has expired or does not exist."


@router.post("", status_code=202, response_model=SignupRequested)
async def sign_up(
    body: AccountCreate, request: Request, services: Services, background: BackgroundTasks
) -> SignupRequested:
    """Always 202 for a well-formed request: a confirmation link goes to the address (or, when
    it has a login already, a note saying so). 429 past BATON_INBOX_SIGNUPS_PER_IP sign-ups from
    one client address, or BATON_INBOX_SIGNUP_MAILS_PER_EMAIL mails to one address, per window."""
    guard = LoginGuard(services.attempts, services.settings)
    wait = await guard.take(guard.signup_checks(body.email, client_address(request)))
    if wait is not None:
        raise retry_later(
            "too_many_signups", f"too many sign-ups; try again in {wait} seconds", wait
        )
    # After the answer: the password hash and the lookup would otherwise time the two cases apart.
    background.add_task(_send_signup_mail, services, body)
    return SignupRequested(status="check your e-mail: a link to confirm the sign-up is on its way")


async def _send_signup_mail(services: InboxServices, body: AccountCreate) -> None:
    settings = services.settings
    public_url = settings.inbox_public_url.rstrip("/")
    existing = await services.accounts.staff_by_email(body.email)
    if existing is not None:
        message = signup_existing_login_email(
            to=existing.email, login_page=f"{public_url}/login", reset_page=f"{public_url}/reset"
        )
    else:
        email = normalize_email(body.email)
        await services.links.revoke_for_email(NO_ACCOUNT, "signup", email)
        token, _ = await services.links.create(
            "signup",
            NO_ACCOUNT,
            email,
            timedelta(hours=settings.inbox_signup_link_ttl_hours),
            account_name=body.account_name,
            password_hash=hash_password(body.password),
        )
        message = signup_confirmation_email(
            to=email,
            account_name=body.account_name,
            link=f"{public_url}/signup/confirm#token={token}",
            ttl_hours=settings.inbox_signup_link_ttl_hours,
        )
    with contextlib.suppress(MailDeliveryError):  # the sender logs it; the visitor asks again
        await services.mail.send(message)


@router.post("/confirm", status_code=201, response_model=AccountCreated)
async def confirm_sign_up(body: SignupConfirm, services: Services) -> AccountCreated:
    """404 `link_invalid` for a used, expired or unknown link; 401 `bad_credentials` when the
    password is not the one chosen at sign-up (the fifth wrong one ends the link); 409
    `email_taken` when the address got a login since (the mailbox's owner is asking)."""
    link = await services.links.peek("signup", body.token)
    if link is None:
        raise ApiError(404, "link_invalid", LINK_INVALID)
    if not password_matches(link["password_hash"], body.password):
        if await services.links.count_wrong_password(link) >= MAX_WRONG_PASSWORDS:
            await services.links.consume("signup", body.token)
        raise ApiError(401, "bad_credentials", "this is not the password chosen at sign-up")
    if await services.links.consume("signup", body.token) is None:
        raise ApiError(404, "link_invalid", LINK_INVALID)
    try:
        owner = await services.accounts.create_account(
            link["account_name"], link["email"], link["password_hash"]
        )
    except EmailTakenError as exc:
        raise ApiError(409, "email_taken", "this e-mail already has a login", "email") from exc
    token, _ = issue_token(services.settings, owner)
    return AccountCreated(
        token=token, account_id=owner.account_id, staff_id=owner.staff_id, email=owner.email
    )
