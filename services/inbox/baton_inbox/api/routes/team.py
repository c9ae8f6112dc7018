"""The team of an account: teammates, invites by e-mail, removal."""

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Response

from baton_inbox.adapters.accounts import EmailTakenError, normalize_email
from baton_inbox.api.deps import CurrentStaff, InboxServices, Services, TeamManager
from baton_inbox.api.routes.auth import staff_public
from baton_inbox.api.schemas import (
    InviteAccept,
    InviteCreate,
    InviteInfo,
    InviteList,
    InvitePublic,
    LoginResponse,
    StaffList,
    TokenBody,
)
from baton_inbox.mail.messages import invite_email, invite_for_existing_login_email
from baton_inbox.mail.sender import MailDeliveryError
from baton_inbox.permissions import can_invite, removal_refusal
from baton_inbox.sessions import issue_token
from baton_inbox.views import thread_view
from baton_runtime.errors import ApiError

staff_router = APIRouter(prefix="/v1/staff", tags=["team"])
invites_router = APIRouter(prefix="/v1/invites", tags=["team"])


def _invite_public(doc: dict[str, Any]) -> InvitePublic:
    return InvitePublic(
        id=doc["link_id"],
        email=doc["email"],
        role=doc["role"],
        invited_by=doc["invited_by_name"],
        expires_at=doc["expires_at"],
    )


@staff_router.get("", response_model=StaffList)
async def list_staff(staff: CurrentStaff, services: Services) -> StaffList:
    teammates = await services.accounts.list_staff(staff.account_id)
    return StaffList(staff=[staff_public(member) for member in teammates])


@staff_router.delete("/{staff_id}", status_code=204)
async def remove_teammate(staff_id: str, manager: TeamManager, services: Services) -> Response:
    target = await services.accounts.teammate(manager.account_id, staff_id)
    if target is None:
        raise ApiError(404, "staff_not_found", f"no teammate {staff_id}")
    refusal = removal_refusal(manager.staff_id, manager.role, target.staff_id, target.role)
    if refusal:
        raise ApiError(403, "forbidden", refusal)
    await services.accounts.remove_staff(manager.account_id, staff_id)
    await _release_threads(services, manager.account_id, staff_id)
    return Response(status_code=204)


async def _release_threads(services: InboxServices, account_id: str, staff_id: str) -> None:
    """A removed teammate's threads go back to the unassigned pile, live on every screen."""
    at = datetime.now(UTC)
    for thread_id in await services.threads.unassign_all(account_id, staff_id, at):
        thread = await services.threads.get_thread(account_id, thread_id)
        if thread is not None:
            await services.live.meta_changed(
                account_id, thread_id, int(at.timestamp() * 1000), thread=thread_view(thread)
            )


@invites_router.post("", status_code=201, response_model=InvitePublic)
async def invite(body: InviteCreate, manager: TeamManager, services: Services) -> InvitePublic:
    settings = services.settings
    if not can_invite(manager.role, body.role):
        raise ApiError(403, "forbidden", f"you cannot invite a teammate as {body.role}")
    email = normalize_email(body.email)
    existing = await services.accounts.staff_by_email(email)
    if existing is not None and existing.account_id == manager.account_id:
        raise ApiError(409, "already_teammate", "this e-mail is already on your team", "email")
    await services.links.revoke_for_email(manager.account_id, "invite", email)
    token, doc = await services.links.create(
        "invite",
        manager.account_id,
        email,
        timedelta(hours=settings.inbox_invite_ttl_hours),
        role=body.role,
        invited_by=manager.staff_id,
        invited_by_name=manager.name,
    )
    account_name = await services.accounts.account_name(manager.account_id)
    try:
        # A login on another team gets a note instead of a link, and the inviter the same
        # answer as for anyone else: inviting is no way to learn who has a login elsewhere.
        message = (
            invite_for_existing_login_email(
                to=email, account_name=account_name, inviter=manager.name
            )
            if existing is not None
            else invite_email(
                to=email,
                account_name=account_name,
                inviter=manager.name,
                role=body.role,
                link=f"{settings.inbox_public_url.rstrip('/')}/invite#token={token}",
                ttl_hours=settings.inbox_invite_ttl_hours,
            )
        )
        await services.mail.send(message)
    except (MailDeliveryError, ValueError) as exc:
        # No invite stays listed as pending when its e-mail never left.
        await services.links.revoke(manager.account_id, doc["link_id"])
        raise ApiError(502, "mail_failed", f"the invite e-mail could not be sent: {exc}") from exc
    return _invite_public(doc)


@invites_router.get("", response_model=InviteList)
async def pending_invites(manager: TeamManager, services: Services) -> InviteList:
    docs = await services.links.pending(manager.account_id, "invite")
    return InviteList(invites=[_invite_public(doc) for doc in docs])


@invites_router.delete("/{invite_id}", status_code=204)
async def revoke_invite(invite_id: str, manager: TeamManager, services: Services) -> Response:
    if not await services.links.revoke(manager.account_id, invite_id):
        raise ApiError(404, "invite_not_found", f"no pending invite {invite_id}")
    return Response(status_code=204)


@invites_router.post("/lookup", response_model=InviteInfo)
async def lookup_invite(body: TokenBody, services: Services) -> InviteInfo:
    """What the accept page shows before the invitee picks a password (the token is the key)."""
    link = await services.links.peek("invite", body.token)
    if link is None:
        raise ApiError(
            404, "link_invalid", "This invitation was already used, has expired or does not exist."
        )
    return InviteInfo(
        account_name=await services.accounts.account_name(link["account_id"]),
        email=link["email"],
        role=link["role"],
        invited_by=link["invited_by_name"],
    )


@invites_router.post("/accept", status_code=201, response_model=LoginResponse)
async def accept_invite(body: InviteAccept, services: Services) -> LoginResponse:
    link = await services.links.consume("invite", body.token)
    if link is None:
        raise ApiError(
            404, "link_invalid", "This invitation was already used, has expired or does not exist."
        )
    try:
        staff = await services.accounts.create_staff(
            link["account_id"], link["email"], body.password, body.name, link["role"]
        )
    except EmailTakenError as exc:
        await services.links.release(link)
        raise ApiError(409, "email_taken", "this e-mail already has a login", "email") from exc
    token, _ = issue_token(services.settings, staff)
    return LoginResponse(token=token, staff_id=staff.staff_id, name=staff.name)
