"""The public face of a bot: what the widget draws before the visitor has a session."""

from fastapi import APIRouter, Request, Response

from baton_gateway.api.deps import Services, check_origin
from baton_gateway.api.schemas import BotPublic, PrechatFieldPublic
from baton_runtime.errors import ApiError

router = APIRouter(prefix="/v1/widget/bots", tags=["widget"])

FIELD_LABELS = {"name": "Name", "email": "E-mail", "company": "Company"}


@router.get("/{bot_key}", response_model=BotPublic)
async def get_bot(
    bot_key: str, request: Request, response: Response, services: Services
) -> BotPublic:
    bot = await services.bots.by_key(bot_key)
    if bot is None:
        raise ApiError(404, "unknown_bot", "no bot has this bot_key", field="bot_key")
    check_origin(request, bot)
    # Short, so an admin's change reaches open pages within a minute without a deploy.
    response.headers["Cache-Control"] = "private, max-age=60"
    response.headers["Vary"] = "Origin"
    return BotPublic(
        display_name=bot.display_name,
        greeting=bot.greeting,
        accent_color=bot.accent_color,
        prechat_fields=[
            PrechatFieldPublic(field=f.field, label=FIELD_LABELS[f.field], required=f.required)
            for f in bot.prechat_fields
        ],
        identity_verification=bot.identity_secret is not None,
    )
