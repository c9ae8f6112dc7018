"""Small visitor signals beside messages: typing (ephemeral) and an e-mail left for follow-up."""

import structlog
from fastapi import APIRouter, Response

from baton_events import VisitorContactLeft
from baton_gateway.api.deps import CurrentVisitor, Services
from baton_gateway.api.schemas import ContactCreate, TypingUpdate
from baton_gateway.domain import contact_event_id
from baton_runtime.errors import ApiError
from baton_runtime.kafka import publish_event

router = APIRouter(prefix="/v1/widget/threads/{thread_id}", tags=["widget"])
log = structlog.get_logger()


@router.post("/typing", status_code=204, response_class=Response)
async def visitor_typing(body: TypingUpdate, visitor: CurrentVisitor, services: Services) -> None:
    await services.live.visitor_typing(visitor.bot.account_id, visitor.thread_id, body.typing)


@router.post("/contact", status_code=204, response_class=Response)
async def leave_email(body: ContactCreate, visitor: CurrentVisitor, services: Services) -> None:
    """After an escalation with nobody to answer now, the visitor leaves an address; the
    stream's state then stops asking for one, and the team sees it on the thread."""
    event = VisitorContactLeft(
        event_id=contact_event_id(visitor.thread_id, body.email),
        thread_id=visitor.thread_id,
        account_id=visitor.bot.account_id,
        email=body.email,
    )
    # Published before the session is marked: if Kafka refuses, the widget keeps asking and
    # the visitor can retry, instead of believing the team has an address it never got.
    try:
        await publish_event(services.broker, services.topics.conversation_events, event)
    except Exception as exc:
        raise ApiError(503, "unavailable", "e-mail not saved, retry") from exc
    await services.sessions.leave_email(visitor.thread_id, body.email)
    await services.live.state_changed(visitor.thread_id)
    log.info("visitor_contact_left", thread_id=visitor.thread_id, event_id=str(event.event_id))
