"""Signing up: a new account (tenant) with its owner."""

from fastapi import APIRouter, Request

from baton_inbox.adapters.accounts import EmailTakenError
from baton_inbox.api.deps import Services
from baton_inbox.api.schemas import AccountCreate, AccountCreated
from baton_inbox.login_guard import LoginGuard, client_address
from baton_inbox.sessions import issue_token
from baton_runtime.errors import ApiError, retry_later

router = APIRouter(prefix="/v1/accounts", tags=["accounts"])


@router.post("", status_code=201, response_model=AccountCreated)
async def sign_up(body: AccountCreate, request: Request, services: Services) -> AccountCreated:
    """429 past BATON_INBOX_SIGNUPS_PER_IP sign-ups from one client address per limit window
    (each one costs a password hash, and would otherwise probe which e-mails have a login)."""
    guard = LoginGuard(services.attempts, services.settings)
    if (wait := await guard.take(guard.signup_checks(client_address(request)))) is not None:
        raise retry_later(
            "too_many_signups", f"too many sign-ups; try again in {wait} seconds", wait
        )
    try:
        owner = await services.accounts.create_account(body.account_name, body.email, body.password)
    except EmailTakenError as exc:
        raise ApiError(409, "email_taken", "this e-mail already has a login", "email") from exc
    token, _ = issue_token(services.settings, owner)
    return AccountCreated(token=token, account_id=owner.account_id, staff_id=owner.staff_id)
