"""Signing up: a new account (tenant) with its owner."""

from fastapi import APIRouter

from baton_inbox.adapters.accounts import EmailTakenError
from baton_inbox.api.deps import Services
from baton_inbox.api.schemas import AccountCreate, AccountCreated
from baton_inbox.sessions import issue_token
from baton_runtime.errors import ApiError

router = APIRouter(prefix="/v1/accounts", tags=["accounts"])


@router.post("", status_code=201, response_model=AccountCreated)
async def sign_up(body: AccountCreate, services: Services) -> AccountCreated:
    try:
        owner = await services.accounts.create_account(body.account_name, body.email, body.password)
    except EmailTakenError as exc:
        raise ApiError(409, "email_taken", "this e-mail already has a login", "email") from exc
    token, _ = issue_token(services.settings, owner)
    return AccountCreated(token=token, account_id=owner.account_id, staff_id=owner.staff_id)
