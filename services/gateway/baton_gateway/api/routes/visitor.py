"""Small visitor signals beside messages: typing (ephemeral) and an e-mail left for follow-up."""

from fastapi import APIRouter, Response

from baton_gateway.api.deps import CurrentVisitor, Services
from baton_gateway.api.schemas import ContactCreate, TypingUpdate

router = APIRouter(prefix="/v1/widget/threads/{thread_id}", tags=["widget"])


@router.post("/typing", status_code=204, response_class=Response)
async def visitor_typing(body: TypingUpdate, visitor: CurrentVisitor, services: Services) -> None:
    await services.live.typing(visitor.thread_id, "visitor", body.typing)


@router.post("/contact", status_code=204, response_class=Response)
async def leave_email(body: ContactCreate, visitor: CurrentVisitor, services: Services) -> None:
    """After an escalation with nobody to answer now, the visitor leaves an address; the
    stream's state then stops asking for one."""
    await services.sessions.leave_email(visitor.thread_id, body.email)
    await services.live.state_changed(visitor.thread_id)
