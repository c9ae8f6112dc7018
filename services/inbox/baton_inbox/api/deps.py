"""Request dependencies of the staff API: services and the signed-in teammate."""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from faststream.kafka import KafkaBroker

from baton_events import Topics
from baton_inbox.adapters.accounts import AccountStore, StaffUser
from baton_inbox.adapters.threads import ThreadStore
from baton_inbox.settings import InboxSettings
from baton_runtime.errors import ApiError
from baton_runtime.tokens import InvalidTokenError, verify_token

STAFF_TOKEN = "staff"


@dataclass
class InboxServices:
    settings: InboxSettings
    broker: KafkaBroker
    topics: Topics
    accounts: AccountStore
    threads: ThreadStore


def get_services(request: Request) -> InboxServices:
    services: InboxServices = request.app.state.services
    return services


Services = Annotated[InboxServices, Depends(get_services)]


async def get_staff(request: Request, services: Services) -> StaffUser:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        raise ApiError(401, "token_required", "send the staff token as Authorization: Bearer")
    try:
        claims: dict[str, Any] = verify_token(
            services.settings.token_secret.get_secret_value(), STAFF_TOKEN, header[7:].strip()
        )
    except InvalidTokenError as exc:
        raise ApiError(401, "invalid_token", f"staff token rejected: {exc}") from exc
    staff = await services.accounts.staff_by_id(str(claims.get("staff_id")))
    if staff is None:
        raise ApiError(401, "invalid_token", "this teammate no longer exists")
    return staff


CurrentStaff = Annotated[StaffUser, Depends(get_staff)]
