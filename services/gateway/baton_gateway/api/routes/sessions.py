import uuid

from fastapi import APIRouter, Request

from baton_events import ThreadStarted
from baton_gateway.api.deps import VISITOR_TOKEN, Services, check_origin
from baton_gateway.api.schemas import SessionCreate, SessionPublic
from baton_runtime.errors import ApiError
from baton_runtime.kafka import publish_event
from baton_runtime.tokens import sign_token

router = APIRouter(prefix="/v1/widget/sessions", tags=["widget"])


@router.post("", status_code=201, response_model=SessionPublic)
async def create_session(
    body: SessionCreate, request: Request, services: Services
) -> SessionPublic:
    bot = await services.bots.by_key(body.bot_key)
    if bot is None:
        raise ApiError(404, "unknown_bot", "no bot has this bot_key", field="bot_key")
    check_origin(request, bot)
    thread_id = str(uuid.uuid4())
    await publish_event(
        services.broker,
        services.topics.conversation_events,
        ThreadStarted(
            thread_id=thread_id,
            account_id=bot.account_id,
            bot_id=bot.bot_id,
            visitor=body.visitor,
            page_url=body.page_url,
            user_agent=request.headers.get("user-agent", "")[:500] or None,
        ),
    )
    token = sign_token(
        services.settings.token_secret.get_secret_value(),
        VISITOR_TOKEN,
        {"thread_id": thread_id, "bot_id": bot.bot_id},
        services.settings.gateway_visitor_token_ttl_seconds,
    )
    return SessionPublic(thread_id=thread_id, visitor_token=token)
