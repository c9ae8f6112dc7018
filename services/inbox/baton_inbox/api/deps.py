"""Request dependencies of the staff API: services and the signed-in teammate."""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from faststream.kafka import KafkaBroker

from baton_events import Topics
from baton_inbox.adapters.account_settings import AccountSettingsStore
from baton_inbox.adapters.accounts import AccountStore, StaffUser
from baton_inbox.adapters.ingest import IngestClient
from baton_inbox.adapters.links import OneTimeLinks
from baton_inbox.adapters.notes import NoteStore
from baton_inbox.adapters.presence import PresenceStore
from baton_inbox.adapters.reports import ReportStore
from baton_inbox.adapters.sessions import RevokedSessions
from baton_inbox.adapters.staff_online import StaffOnline
from baton_inbox.adapters.threads import ThreadStore
from baton_inbox.live.jobs import BotJobStream
from baton_inbox.live.publisher import LivePublisher
from baton_inbox.live.stream import StaffStream
from baton_inbox.mail.sender import MailSender
from baton_inbox.permissions import can_manage_team
from baton_inbox.sessions import CSRF_HEADER, SESSION_COOKIE, STAFF_TOKEN, csrf_matches
from baton_inbox.settings import InboxSettings
from baton_runtime.attempts import FailedAttempts
from baton_runtime.errors import ApiError
from baton_runtime.tokens import InvalidTokenError, verify_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class InboxServices:
    settings: InboxSettings
    broker: KafkaBroker
    topics: Topics
    accounts: AccountStore
    account_settings: AccountSettingsStore
    reports: ReportStore
    threads: ThreadStore
    notes: NoteStore
    links: OneTimeLinks
    presence: PresenceStore
    sessions: RevokedSessions
    live: LivePublisher
    stream: StaffStream
    mail: MailSender
    online: StaffOnline
    ingest: IngestClient
    attempts: FailedAttempts
    job_stream: BotJobStream


# async: FastAPI runs a plain `def` dependency in its thread pool, a thread hop per request.
async def get_services(request: Request) -> InboxServices:
    services: InboxServices = request.app.state.services
    return services


Services = Annotated[InboxServices, Depends(get_services)]


async def get_staff(request: Request, services: Services) -> StaffUser:
    header = request.headers.get("authorization", "")
    by_cookie = not header.lower().startswith("bearer ")
    raw = request.cookies.get(SESSION_COOKIE) if by_cookie else header[7:].strip()
    if not raw:
        raise ApiError(
            401, "token_required", "log in, or send the staff token as Authorization: Bearer"
        )
    try:
        claims: dict[str, Any] = verify_token(
            services.settings.token_secret.get_secret_value(), STAFF_TOKEN, raw
        )
    except InvalidTokenError as exc:
        raise ApiError(401, "invalid_token", f"staff token rejected: {exc}") from exc
    session_id = str(claims.get("sid", ""))
    presented = request.headers.get(CSRF_HEADER)
    if (
        by_cookie
        and request.method not in SAFE_METHODS
        and not csrf_matches(services.settings, session_id, presented)
    ):
        raise ApiError(403, "csrf_failed", f"send the {CSRF_HEADER} header of this session")
    staff = await services.accounts.staff_by_id(str(claims.get("staff_id")))
    if staff is None:
        raise ApiError(401, "invalid_token", "this teammate no longer exists")
    if int(claims.get("epoch", 0)) != staff.session_epoch:
        raise ApiError(401, "session_ended", "the password changed; log in again")
    if session_id and await services.sessions.is_revoked(session_id):
        raise ApiError(401, "session_ended", "this session was logged out")
    request.state.session_id = session_id
    request.state.session_expires_at = int(claims.get("exp", 0))
    return staff


CurrentStaff = Annotated[StaffUser, Depends(get_staff)]


async def get_team_manager(staff: CurrentStaff) -> StaffUser:
    if not can_manage_team(staff.role):
        raise ApiError(403, "forbidden", "only the owner and admins manage the team")
    return staff


TeamManager = Annotated[StaffUser, Depends(get_team_manager)]


async def get_account_manager(staff: CurrentStaff) -> StaffUser:
    if not can_manage_team(staff.role):
        raise ApiError(403, "forbidden", "only the owner and admins change the account's settings")
    return staff


AccountManager = Annotated[StaffUser, Depends(get_account_manager)]


async def get_bot_manager(staff: CurrentStaff) -> StaffUser:
    if not can_manage_team(staff.role):
        raise ApiError(403, "forbidden", "only the owner and admins change bots")
    return staff


BotManager = Annotated[StaffUser, Depends(get_bot_manager)]
