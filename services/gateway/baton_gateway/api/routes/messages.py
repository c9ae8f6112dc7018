import uuid

from fastapi import APIRouter

from baton_events import VisitorMessageReceived
from baton_gateway.api.deps import CurrentVisitor, Services, check_rate
from baton_gateway.api.schemas import MessageAccepted, MessageCreate, MessageList, MessagePublic
from baton_gateway.domain import public_message, visitor_message_id
from baton_gateway.metrics import VISITOR_MESSAGES_ACCEPTED
from baton_runtime.errors import ApiError
from baton_runtime.kafka import publish_event
from baton_runtime.rate_limit import RateRule

router = APIRouter(prefix="/v1/widget/threads/{thread_id}/messages", tags=["widget"])


@router.post("", status_code=202, response_model=MessageAccepted)
async def send_message(
    body: MessageCreate, visitor: CurrentVisitor, services: Services
) -> MessageAccepted:
    message_id = visitor_message_id(visitor.thread_id, body.client_message_id)
    # Each message costs an answer (retrieval, maybe a model call): one visitor cannot flood.
    settings = services.settings
    await check_rate(
        services,
        RateRule(
            "widget-messages",
            settings.gateway_messages_per_thread,
            settings.gateway_messages_window_seconds,
        ),
        visitor.thread_id,
    )
    if not await services.dedupe.claim(message_id):
        return MessageAccepted(message_id=message_id)
    event = VisitorMessageReceived(
        event_id=uuid.UUID(message_id),
        thread_id=visitor.thread_id,
        account_id=visitor.bot.account_id,
        bot_id=visitor.bot.bot_id,
        message_id=message_id,
        client_message_id=body.client_message_id,
        text=body.text,
    )
    try:
        await publish_event(services.broker, services.topics.conversation_events, event)
    except Exception as exc:
        await services.dedupe.forget(message_id)
        raise ApiError(503, "unavailable", "message not accepted, retry with the same id") from exc
    await services.dedupe.mark_sent(message_id)
    VISITOR_MESSAGES_ACCEPTED.inc()
    return MessageAccepted(message_id=message_id)


@router.get("", response_model=MessageList)
async def list_messages(visitor: CurrentVisitor, services: Services) -> MessageList:
    docs = await services.messages.since(visitor.thread_id, -1)
    return MessageList(messages=[MessagePublic(**public_message(doc)) for doc in docs])
