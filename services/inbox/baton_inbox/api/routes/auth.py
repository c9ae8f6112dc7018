"""Logging in and out, for API clients (bearer token) and the inbox page (cookie session)."""

import contextlib
import time
from datetime import timedelta

from fastapi import APIRouter, BackgroundTasks, Request, Response

from baton_inbox.adapters.accounts import StaffUser
from baton_inbox.api.deps import CurrentStaff, InboxServices, Services
from baton_inbox.api.schemas import (
    AccountPublic,
    ClientConfig,
    LoginRequest,
    LoginResponse,
    MeResponse,
    PasswordResetConfirm,
    PasswordResetRequest,
    PasswordResetRequested,
    SessionResponse,
    StaffPublic,
)
from baton_inbox.login_guard import LoginGuard, client_address
from baton_inbox.mail.messages import login_backoff_email, password_reset_email
from baton_inbox.mail.sender import MailDeliveryError
from baton_inbox.sessions import clear_session_cookies, issue_token, set_session_cookies
from baton_runtime.errors import ApiError, retry_later

router = APIRouter(prefix="/v1/auth", tags=["auth"])
me_router = APIRouter(prefix="/v1/me", tags=["auth"])


def staff_public(staff: StaffUser) -> StaffPublic:
    return StaffPublic(id=staff.staff_id, email=staff.email, name=staff.name, role=staff.role)


async def _authenticate(services: InboxServices, body: LoginRequest, request: Request) -> StaffUser:
    # A wait answers 429 even to the right password: that is what makes guessing slow.
    guard = LoginGuard(services.attempts, services.settings)
    address = client_address(request)
    known = await services.accounts.staff_by_email(body.email)
    wait = await guard.wait(body.email, known, address)
    if wait is not None:
        message = f"too many failed logins; try again in {wait} seconds or reset the password"
        raise retry_later("too_many_failed_logins", message, wait)
    staff = await services.accounts.authenticate(body.email, body.password)
    if staff is None:
        started = await guard.failed(body.email, known, address)
        # Sent before the 401 (background tasks do not run after an error); at most once
        # an hour per login, so the delay it adds tells a guesser nothing new.
        if started and known is not None and await guard.first_lock_notice(known):
            await _send_backoff_notice(services, known, address)
        raise ApiError(401, "bad_credentials", "e-mail or password is wrong")
    await guard.succeeded(body.email, staff, address)
    return staff


async def _send_backoff_notice(services: InboxServices, staff: StaffUser, address: str) -> None:
    settings = services.settings
    message = login_backoff_email(
        to=staff.email,
        address=address,
        failures=settings.inbox_login_max_failures + 1,
        login_page=f"{settings.inbox_public_url.rstrip('/')}/login",
    )
    with contextlib.suppress(MailDeliveryError):  # the sender logs it
        await services.mail.send(message)


@router.post("/login", response_model=LoginResponse)
async def login(body: LoginRequest, request: Request, services: Services) -> LoginResponse:
    """For API clients: a bearer token. The inbox page uses POST /v1/auth/session instead."""
    staff = await _authenticate(services, body, request)
    token, _ = issue_token(services.settings, staff)
    return LoginResponse(token=token, staff_id=staff.staff_id, name=staff.name)


@router.post("/session", response_model=SessionResponse)
async def open_session(
    body: LoginRequest, request: Request, response: Response, services: Services
) -> SessionResponse:
    """For the browser: the token goes into an httpOnly cookie, never into script's reach."""
    staff = await _authenticate(services, body, request)
    token, session_id = issue_token(services.settings, staff)
    csrf = set_session_cookies(response, services.settings, token, session_id)
    return SessionResponse(staff=staff_public(staff), csrf_token=csrf)


@router.delete("/session", status_code=204)
async def close_session(
    request: Request, response: Response, staff: CurrentStaff, services: Services
) -> Response:
    """Log out: this session's token stops working at once, cookie or bearer."""
    session_id: str = request.state.session_id
    if session_id:
        remaining = int(request.state.session_expires_at - time.time())
        await services.sessions.revoke(session_id, remaining)
    response.status_code = 204
    clear_session_cookies(response, services.settings)
    return response


@router.post("/password-reset", status_code=202, response_model=PasswordResetRequested)
async def request_password_reset(
    body: PasswordResetRequest,
    request: Request,
    services: Services,
    background: BackgroundTasks,
) -> PasswordResetRequested:
    """Always 202, whether or not the address has a login: no account discovery here. 429
    past BATON_INBOX_RESET_REQUESTS_PER_IP requests from one client address, or
    BATON_INBOX_RESET_MAILS_PER_EMAIL for one e-mail, per limit window."""
    guard = LoginGuard(services.attempts, services.settings)
    wait = await guard.take(guard.reset_checks(body.email, client_address(request)))
    if wait is not None:
        raise retry_later(
            "too_many_resets", f"too many reset requests; try again in {wait} seconds", wait
        )
    staff = await services.accounts.staff_by_email(body.email)
    if staff is not None:
        background.add_task(_send_reset, services, staff)
    return PasswordResetRequested(status="if this address has a login, a reset link is on its way")


async def _send_reset(services: InboxServices, staff: StaffUser) -> None:
    settings = services.settings
    await services.links.revoke_for_email(staff.account_id, "password_reset", staff.email)
    token, _ = await services.links.create(
        "password_reset",
        staff.account_id,
        staff.email,
        timedelta(minutes=settings.inbox_password_reset_ttl_minutes),
        staff_id=staff.staff_id,
    )
    link = f"{settings.inbox_public_url.rstrip('/')}/reset#token={token}"
    message = password_reset_email(
        to=staff.email, link=link, ttl_minutes=settings.inbox_password_reset_ttl_minutes
    )
    # A failure is logged by the sender; the answer was already sent, so the teammate asks again.
    with contextlib.suppress(MailDeliveryError):
        await services.mail.send(message)


@router.post("/password-reset/confirm", status_code=204)
async def confirm_password_reset(body: PasswordResetConfirm, services: Services) -> Response:
    link = await services.links.consume("password_reset", body.token)
    if link is None:
        raise ApiError(
            404, "link_invalid", "This reset link was already used, has expired or does not exist."
        )
    staff = await services.accounts.teammate(link["account_id"], link["staff_id"])
    if staff is None:
        raise ApiError(404, "link_invalid", "this login no longer exists")
    # The new password bumps the session epoch, which every failed-login count carries:
    # whatever waits a guesser started, the owner starts afresh.
    await services.accounts.set_password(staff.staff_id, body.password)
    return Response(status_code=204)


@me_router.get("", response_model=MeResponse)
async def me(staff: CurrentStaff, services: Services) -> MeResponse:
    settings = services.settings
    return MeResponse(
        staff=staff_public(staff),
        account=AccountPublic(
            id=staff.account_id, name=await services.accounts.account_name(staff.account_id)
        ),
        config=ClientConfig(
            collision_window_seconds=settings.inbox_collision_window_seconds,
            presence_viewing_seconds=settings.inbox_presence_viewing_seconds,
            presence_typing_seconds=settings.inbox_presence_typing_seconds,
            heartbeat_seconds=settings.inbox_sse_heartbeat_seconds,
        ),
    )
