import uuid

import structlog
from fastapi import APIRouter, Request

from baton_events import ThreadStarted, ThreadVisitor, VisitorProfile
from baton_gateway.adapters.bots import Bot
from baton_gateway.api.deps import VISITOR_TOKEN, Services, check_origin, check_rate
from baton_gateway.api.schemas import EMAIL_PATTERN, SessionCreate, SessionPublic
from baton_runtime.errors import ApiError
from baton_runtime.kafka import publish_event
from baton_runtime.rate_limit import RateRule
from baton_runtime.tokens import sign_token

router = APIRouter(prefix="/v1/widget/sessions", tags=["widget"])
log = structlog.get_logger()


@router.post("", status_code=201, response_model=SessionPublic)
async def create_session(
    body: SessionCreate, request: Request, services: Services
) -> SessionPublic:
    bot = await services.bots.by_key(body.bot_key)
    if bot is None:
        raise ApiError(404, "unknown_bot", "no bot has this bot_key", field="bot_key")
    check_origin(request, bot)
    # Every session becomes an inbox thread: a script opening thousands would bury the team's.
    settings = services.settings
    await check_rate(
        services,
        RateRule(
            "widget-sessions",
            settings.gateway_sessions_per_ip,
            settings.gateway_sessions_window_seconds,
        ),
        request.client.host if request.client else "unknown",
    )
    visitor = _checked_profile(bot, body.visitor)
    user_id = _verified_user(bot, body.user_id, body.user_hash)
    thread_id = str(uuid.uuid4())
    if user_id is not None:
        owned = await services.sessions.claim_identity(bot.bot_id, user_id, thread_id)
        if owned != thread_id:
            # A verified user gets their thread back on any device: that is what the
            # signature buys, and why an unsigned user id is never trusted.
            return _session(services, bot, owned, user_id)
    await services.sessions.create(
        thread_id, bot.bot_id, email_known=visitor.email is not None, user_id=user_id
    )
    try:
        await publish_event(
            services.broker,
            services.topics.conversation_events,
            ThreadStarted(
                thread_id=thread_id,
                account_id=bot.account_id,
                bot_id=bot.bot_id,
                visitor=_thread_visitor(visitor, user_id),
                page_url=body.page_url,
                user_agent=request.headers.get("user-agent", "")[:500] or None,
            ),
        )
    except Exception as exc:
        if user_id is not None:
            await services.sessions.release_identity(bot.bot_id, user_id, thread_id)
        raise ApiError(503, "unavailable", "session not created, retry") from exc
    return _session(services, bot, thread_id, user_id)


def _session(services: Services, bot: Bot, thread_id: str, user_id: str | None) -> SessionPublic:
    claims = {"thread_id": thread_id, "bot_id": bot.bot_id}
    if user_id is not None:
        claims["user_id"] = user_id
    token = sign_token(
        services.settings.token_secret.get_secret_value(),
        VISITOR_TOKEN,
        claims,
        services.settings.gateway_visitor_token_ttl_seconds,
    )
    return SessionPublic(thread_id=thread_id, visitor_token=token)


def _checked_profile(bot: Bot, visitor: VisitorProfile) -> VisitorProfile:
    """Trimmed, with the bot's required pre-chat fields present and the e-mail plausible."""
    profile = VisitorProfile(
        name=_clean(visitor.name), email=_clean(visitor.email), company=_clean(visitor.company)
    )
    for prechat in bot.prechat_fields:
        if prechat.required and getattr(profile, prechat.field) is None:
            raise ApiError(
                422,
                "prechat_required",
                f"{prechat.field} is required",
                field=f"visitor.{prechat.field}",
            )
    if profile.email is not None and not EMAIL_PATTERN.match(profile.email):
        raise ApiError(422, "invalid_email", "not an e-mail address", field="visitor.email")
    return profile


def _thread_visitor(profile: VisitorProfile, user_id: str | None) -> ThreadVisitor:
    """The profile as the inbox gets it: `user_id` is set only after `_verified_user` checked
    its signature, so `verified` is what staff can rely on."""
    return ThreadVisitor(**profile.model_dump(), user_id=user_id, verified=user_id is not None)


def _verified_user(bot: Bot, user_id: str | None, user_hash: str | None) -> str | None:
    if user_id is None:
        return None
    if bot.identity_secret is None:
        # Nothing to check it against, so it is not trusted; the session is anonymous.
        log.warning("identity_ignored_no_secret", bot_id=bot.bot_id)
        return None
    if not user_hash or not bot.verifies(user_id, user_hash):
        raise ApiError(
            403, "identity_rejected", "user_hash does not match user_id", field="user_hash"
        )
    return user_id


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None
