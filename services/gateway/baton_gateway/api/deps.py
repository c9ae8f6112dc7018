"""Request dependencies of the widget API: the app's services, the visitor, the origin check."""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from faststream.kafka import KafkaBroker

from baton_events import Topics
from baton_gateway.adapters.bots import Bot, BotDirectory
from baton_gateway.adapters.dedupe import SendDeduplicator
from baton_gateway.adapters.live import LiveSignals
from baton_gateway.adapters.messages import VisibleMessages
from baton_gateway.adapters.sessions import WidgetSessions
from baton_gateway.settings import GatewaySettings
from baton_runtime.account_hours import AccountHours
from baton_runtime.errors import ApiError, retry_later
from baton_runtime.rate_limit import RateLimiter, RateRule
from baton_runtime.tokens import InvalidTokenError, verify_token

VISITOR_TOKEN = "visitor"


@dataclass
class GatewayServices:
    settings: GatewaySettings
    broker: KafkaBroker
    topics: Topics
    bots: BotDirectory
    messages: VisibleMessages
    dedupe: SendDeduplicator
    sessions: WidgetSessions
    live: LiveSignals
    rates: RateLimiter
    account_hours: AccountHours


# async: FastAPI runs a plain `def` dependency in its thread pool, a thread hop per request.
async def get_services(request: Request) -> GatewayServices:
    services: GatewayServices = request.app.state.services
    return services


Services = Annotated[GatewayServices, Depends(get_services)]


@dataclass(frozen=True)
class Visitor:
    thread_id: str
    bot: Bot


async def check_rate(services: GatewayServices, rule: RateRule, subject: str) -> None:
    wait = await services.rates.take(rule, subject)
    if wait is not None:
        raise retry_later("rate_limited", f"too many requests; wait {wait} seconds", wait)


def check_origin(request: Request, bot: Bot) -> None:
    origin = request.headers.get("origin")
    if origin is None:
        raise ApiError(403, "origin_required", "widget requests must carry an Origin header")
    if not bot.allows(origin):
        raise ApiError(403, "origin_not_allowed", f"origin {origin} is not allowed for this bot")


async def get_visitor(
    request: Request,
    thread_id: str,
    services: Services,
    token: Annotated[
        str | None, Query(description="For EventSource, which cannot set headers")
    ] = None,
) -> Visitor:
    header = request.headers.get("authorization", "")
    raw = header[7:].strip() if header.lower().startswith("bearer ") else token
    if not raw:
        raise ApiError(401, "token_required", "send the visitor token as Authorization: Bearer")
    try:
        claims: dict[str, Any] = verify_token(
            services.settings.token_secret.get_secret_value(), VISITOR_TOKEN, raw
        )
    except InvalidTokenError as exc:
        raise ApiError(401, "invalid_token", f"visitor token rejected: {exc}") from exc
    if claims.get("thread_id") != thread_id:
        raise ApiError(403, "wrong_thread", "this token belongs to another thread")
    bot = await services.bots.by_id(str(claims.get("bot_id")))
    if bot is None:
        raise ApiError(401, "invalid_token", "the token's bot no longer exists")
    check_origin(request, bot)
    return Visitor(thread_id=thread_id, bot=bot)


CurrentVisitor = Annotated[Visitor, Depends(get_visitor)]
