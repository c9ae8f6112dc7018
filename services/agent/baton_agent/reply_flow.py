"""One visitor turn: the answer, unless the conversation shows the AI is not helping, plus a
notice when the thread escalates and no teammate can pick it up now (outside the account's
business hours, or nobody online)."""

from collections.abc import Awaitable
from dataclasses import replace
from datetime import UTC, datetime

import structlog

from baton_agent.adapters.bot_settings import BotSettings
from baton_agent.adapters.staff_presence import StaffPresence
from baton_agent.adapters.thread_memory import ThreadMemoryStore
from baton_agent.answer_failures import FAILED_TEXT, AnswerFailures
from baton_answering.answer import Answer
from baton_answering.answerer import Answerer
from baton_answering.escalation_notice import (
    CLARIFY_TEXT,
    UNRESOLVED_TEXT,
    away_notice,
    offline_notice,
    with_offline_notice,
)
from baton_answering.unresolved import (
    UNRESOLVED_TURNS,
    answer_digest,
    asks_what_is_missing,
    is_complaint,
    next_unhelped_count,
)
from baton_events import EscalationReason, VisitorMessageReceived
from baton_runtime.account_hours import AccountHours

log = structlog.get_logger()


class ReplyFlow:
    def __init__(
        self,
        answerer: Answerer,
        bots: BotSettings,
        memory: ThreadMemoryStore,
        presence: StaffPresence,
        reply_expectation: str,
        hours: AccountHours,
    ) -> None:
        self._answerer = answerer
        self._bots = bots
        self._memory = memory
        self._presence = presence
        self._reply_expectation = reply_expectation
        self._hours = hours
        self._failures = AnswerFailures()

    async def draft(self, message: VisitorMessageReceived) -> Answer:
        """The docs' answer to the message alone: it reads, writes nothing and counts no turn,
        so the agent can start it before it knows whether the thread is still the AI's."""
        bot = await self._bots.for_bot(message.bot_id)
        return await self._answerer.answer(
            message.bot_id,
            message.text,
            sensitive_topics=bot.sensitive_topics,
            answerer=bot.answerer,
        )

    async def reply(
        self, message: VisitorMessageReceived, draft: Awaitable[Answer] | None = None
    ) -> Answer:
        """The turn: `draft` (started earlier) or a new one, read against the conversation so
        far, and the turn remembered."""
        memory = await self._memory.load(message.thread_id)
        redelivered = memory.last_message_id == message.message_id
        if redelivered:
            unhelped = memory.unhelped_turns  # the turn was counted already
        else:
            unhelped = next_unhelped_count(
                memory.unhelped_turns,
                ai_answered_last=memory.ai_answered_last,
                current=message.text,
                previous_question=memory.last_question,
            )
        try:
            answer = await (draft if draft is not None else self.draft(message))
        except Exception as error:
            if not self._failures.give_up(message.message_id, error):
                raise  # retried in a second (consumer.RETRY_BACKOFF_SECONDS)
            log.error("answer_failed_handed_over", error=repr(error), exc_info=error)
            answer = Answer(FAILED_TEXT, (), None, True, EscalationReason.UNRESOLVED)
        # (A redelivered turn finds its own answer remembered: no repeat to compare with.)
        same_answer_again = not redelivered and answer_digest(answer.text) == memory.last_answer
        if asks_what_is_missing(
            unhelped, complaint=is_complaint(message.text), same_answer_again=same_answer_again
        ):
            answer = Answer(CLARIFY_TEXT, (), None, False, None)
        elif unhelped >= UNRESOLVED_TURNS and answer.reason in (None, EscalationReason.OUT_OF_DOCS):
            answer = replace(
                answer,
                text=UNRESOLVED_TEXT,
                sources=(),
                confidence=None,
                escalate=True,
                reason=EscalationReason.UNRESOLVED,
                source_paths=(),
            )
        await self._memory.remember_turn(
            message.thread_id,
            message.message_id,
            message.text,
            answered=not answer.escalate,
            unhelped=0 if answer.escalate else unhelped,
            answer=answer_digest(answer.text),
        )
        if answer.escalate:
            notice = await self._nobody_coming_notice(message.account_id, memory.email_known)
            if notice is not None:
                answer = with_offline_notice(answer, notice)
        return answer

    async def _nobody_coming_notice(self, account_id: str, email_known: bool) -> str | None:
        """Outside business hours: when the team is back. Within them with nobody online:
        when to expect a reply. None when a teammate can pick the thread up now."""
        hours = await self._hours.of(account_id)
        now = datetime.now(UTC)
        if not hours.is_open(now):
            back_at = hours.next_opening(now)
            local = back_at.astimezone(hours.zone) if back_at is not None else None
            return away_notice(local, email_known=email_known)
        if not await self._presence.anyone_online(account_id):
            return offline_notice(self._reply_expectation, email_known=email_known)
        return None
