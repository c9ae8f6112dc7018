"""One visitor turn: the answer, unless the conversation shows the AI is not helping, plus an
offline notice when the thread escalates and no teammate is online."""

from dataclasses import replace

from baton_agent.adapters.bot_settings import BotSettings
from baton_agent.adapters.staff_presence import StaffPresence
from baton_agent.adapters.thread_memory import ThreadMemoryStore
from baton_answering.answer import Answer
from baton_answering.answerer import Answerer
from baton_answering.escalation_notice import (
    CLARIFY_TEXT,
    UNRESOLVED_TEXT,
    offline_notice,
    with_offline_notice,
)
from baton_answering.unresolved import UNRESOLVED_TURNS, is_complaint, next_unhelped_count
from baton_events import EscalationReason, VisitorMessageReceived


class ReplyFlow:
    def __init__(
        self,
        answerer: Answerer,
        bots: BotSettings,
        memory: ThreadMemoryStore,
        presence: StaffPresence,
        reply_expectation: str,
    ) -> None:
        self._answerer = answerer
        self._bots = bots
        self._memory = memory
        self._presence = presence
        self._reply_expectation = reply_expectation

    async def reply(self, message: VisitorMessageReceived) -> Answer:
        memory = await self._memory.load(message.thread_id)
        if memory.last_message_id == message.message_id:
            unhelped = memory.unhelped_turns  # redelivered: the turn was counted already
        else:
            unhelped = next_unhelped_count(
                memory.unhelped_turns,
                ai_answered_last=memory.ai_answered_last,
                current=message.text,
                previous_question=memory.last_question,
            )
        bot = await self._bots.for_bot(message.bot_id)
        answer = await self._answerer.answer(
            message.bot_id,
            message.text,
            sensitive_topics=bot.sensitive_topics,
            answerer=bot.answerer,
        )
        if 0 < unhelped < UNRESOLVED_TURNS and is_complaint(message.text):
            # "that didn't help" is no question for the docs: ask what is missing instead
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
        )
        if answer.escalate and not await self._presence.anyone_online(message.account_id):
            notice = offline_notice(self._reply_expectation, email_known=memory.email_known)
            answer = with_offline_notice(answer, notice)
        return answer
