"""One question and its answer, as every scenario asks it and tallies the outcome."""

import structlog

from tests.bench.load.lean_http import HttpError
from tests.bench.load.tally import AnswerTally
from tests.bench.load.widget_client import WidgetVisitor

log = structlog.get_logger()


async def ask(visitor: WidgetVisitor, text: str, wait_s: float, tally: AnswerTally) -> None:
    try:
        sent = await visitor.send(text)
    except HttpError as exc:
        # Overload shows as refusals too (503, 429, timeouts): counted, not fatal to the run.
        log.warning("question_refused", thread_id=visitor.thread_id, error=repr(exc))
        tally.refusal(wait_s * 1000)
        return
    reply = await visitor.reply_to(sent, wait_s)
    if reply is None:
        tally.no_answer(wait_s * 1000)
    else:
        latency_ms = (reply.received_at - sent.sent_at) * 1000
        tally.answer(latency_ms, cited=bool(reply.data.get("sources")))
