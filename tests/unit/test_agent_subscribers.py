"""The agent's subscriber, driven in memory: a visitor message on an AI-owned thread gets a
proposed reply (and an escalation when the answer asks for a teammate), a human-owned thread
or a typing teammate keeps the agent silent, and what the agent remembers of a thread
follows the log."""

import asyncio
from collections.abc import Awaitable

import pytest
from prometheus_client import REGISTRY

from baton_agent import handlers as agent_handlers
from baton_agent.adapters.mode_reader import ModeView
from baton_agent.app import build_event_broker
from baton_agent.ports import AgentAdapters
from baton_agent.settings import AgentSettings
from baton_answering.answer import Answer
from baton_events import (
    AiReplyProposed,
    ConversationEvent,
    EscalationRaised,
    EscalationReason,
    ThreadMode,
    ThreadModeChanged,
    VisitorMessageReceived,
    encode_event,
)
from baton_runtime.kafka import topics_for
from tests.support.in_memory import (
    UNIT_SETTINGS,
    conversation_spy,
    newer_minor,
    publish_all,
    staff_reply,
    visitor_message,
)

SETTINGS = AgentSettings(**UNIT_SETTINGS)
TOPIC = topics_for(SETTINGS).conversation_events


class Flow:
    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.asked: list[str] = []  # turns taken (reply), each counted in the thread's memory
        self.drafted: list[str] = []
        self.drafts_used = 0

    async def draft(self, message: VisitorMessageReceived) -> Answer:
        self.drafted.append(message.text)
        return self.answer

    async def reply(
        self, message: VisitorMessageReceived, draft: Awaitable[Answer] | None = None
    ) -> Answer:
        self.asked.append(message.text)
        if draft is not None:
            self.drafts_used += 1
            return await draft
        return self.answer


class Memory:
    def __init__(self) -> None:
        self.notes: list[tuple[str, str]] = []
        self.held_message: VisitorMessageReceived | None = None

    async def email_known(self, thread_id: str) -> None:
        self.notes.append(("email_known", thread_id))

    async def human_replied(self, thread_id: str) -> None:
        self.notes.append(("human_replied", thread_id))
        self.held_message = None

    async def hold(self, message: VisitorMessageReceived) -> None:
        self.held_message = message

    async def held(self, thread_id: str) -> VisitorMessageReceived | None:
        return self.held_message

    async def forget_held(self, thread_id: str, message_id: str) -> None:
        if self.held_message is not None and self.held_message.message_id == message_id:
            self.held_message = None


class Typing:
    """A teammate typing for the first `checks` looks, then no longer."""

    def __init__(self, checks: int) -> None:
        self.checks = checks
        self.looks = 0

    async def anyone_typing(self, account_id: str, thread_id: str) -> bool:
        self.looks += 1
        return self.looks <= self.checks


class Modes:
    def __init__(self, mode: ThreadMode) -> None:
        self.view = ModeView(mode=mode, version=4, position=0)

    def set(self, mode: ThreadMode, version: int) -> None:
        self.view = ModeView(mode=mode, version=version, position=0)

    async def current(self, thread_id: str) -> ModeView:
        return self.view

    async def for_message(self, thread_id: str, message_id: str, wait_seconds: float) -> ModeView:
        return self.view


ANSWER = Answer(
    text="See the billing page.", sources=(), confidence=0.7, escalate=False, reason=None
)


class Fakes:
    def __init__(
        self,
        mode: ThreadMode = ThreadMode.AI,
        answer: Answer = ANSWER,
        typing: int = 0,
        flow: Flow | None = None,
        typing_wait_seconds: float = 0.0,
    ) -> None:
        """`typing`: how many looks find a teammate typing; `typing_wait_seconds`: how long
        the agent waits for them (BATON_AGENT_TYPING_WAIT_SECONDS)."""
        self.flow, self.memory, self.modes = flow or Flow(answer), Memory(), Modes(mode)
        self.typing = Typing(typing)
        adapters = AgentAdapters(
            flow=self.flow, memory=self.memory, typing=self.typing, modes=self.modes
        )
        settings = SETTINGS.model_copy(update={"agent_typing_wait_seconds": typing_wait_seconds})
        self.broker = build_event_broker(settings, lambda: adapters)
        self.published = conversation_spy(self.broker, TOPIC)

    async def handle(
        self, event: ConversationEvent, body: bytes | None = None
    ) -> list[ConversationEvent]:
        """What the agent published while handling `event` (sent as `body` if given)."""
        already = len(self.published)
        await publish_all(self.broker, TOPIC, body or encode_event(event))
        return [seen for seen in self.published[already:] if seen.event_id != event.event_id]


async def test_a_question_on_an_ai_thread_gets_a_proposed_reply() -> None:
    fakes = Fakes()
    published = await fakes.handle(visitor_message("How do I pay?"))
    # The answer drafted while the verdict was awaited is the one sent.
    assert fakes.flow.drafted == ["How do I pay?"] and fakes.flow.drafts_used == 1
    assert [(type(e), getattr(e, "text", None)) for e in published] == [
        (AiReplyProposed, "See the billing page.")
    ]
    proposal = published[0]
    assert isinstance(proposal, AiReplyProposed)
    assert (proposal.in_reply_to, proposal.mode_version_seen) == ("m1", 4)


async def test_an_answer_that_needs_a_teammate_raises_an_escalation() -> None:
    answer = Answer(
        text="A teammate will follow up.",
        sources=(),
        confidence=0.1,
        escalate=True,
        reason=EscalationReason.OUT_OF_DOCS,
    )
    published = await Fakes(answer=answer).handle(visitor_message("How do I pay?"))
    assert [type(e) for e in published] == [AiReplyProposed, EscalationRaised]


async def test_a_human_thread_or_a_teammate_still_typing_keeps_the_agent_silent() -> None:
    for fakes in (Fakes(mode=ThreadMode.HUMAN), Fakes(typing=1000, typing_wait_seconds=0)):
        assert await fakes.handle(visitor_message("How do I pay?")) == []
        assert fakes.flow.asked == []


async def test_a_teammate_who_stops_typing_without_a_reply_leaves_the_message_to_the_ai(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(agent_handlers, "TYPING_RECHECK_SECONDS", 0.01)
    fakes = Fakes(typing=3, typing_wait_seconds=5)
    published = await fakes.handle(visitor_message("How do I pay?"))
    assert [type(e) for e in published] == [AiReplyProposed]
    assert fakes.typing.looks == 4  # three looks found them typing, the fourth did not


class StuckFlow(Flow):
    """A draft that never finishes (a slow model): it must not hold up a silent agent."""

    async def draft(self, message: VisitorMessageReceived) -> Answer:
        self.drafted.append(message.text)
        await asyncio.Event().wait()
        return self.answer


def drafts_discarded() -> float:
    return REGISTRY.get_sample_value("baton_agent_drafts_discarded_total") or 0.0


async def test_a_draft_on_a_thread_that_is_a_teammates_is_discarded_unfinished() -> None:
    before = drafts_discarded()
    fakes = Fakes(mode=ThreadMode.HUMAN, flow=StuckFlow(ANSWER))
    handled = fakes.handle(visitor_message("How do I pay?"))
    assert await asyncio.wait_for(handled, timeout=5) == []
    assert drafts_discarded() == before + 1
    assert fakes.flow.asked == [] and fakes.memory.held_message is not None


async def test_a_staff_reply_resets_the_threads_memory_and_a_newer_minor_version_is_read() -> None:
    fakes = Fakes()
    reply = staff_reply()
    assert await fakes.handle(reply, newer_minor(reply)) == []
    assert fakes.memory.notes == [("human_replied", "t1")]


def mode_changed(mode: ThreadMode, reason: str, version: int = 5) -> ThreadModeChanged:
    return ThreadModeChanged(
        thread_id="t1", account_id="a1", mode=mode, mode_version=version, reason=reason
    )


async def test_a_question_a_teammate_left_unanswered_is_answered_at_the_hand_back() -> None:
    fakes = Fakes(mode=ThreadMode.HUMAN)
    assert await fakes.handle(visitor_message("Still there? How do I export?")) == []
    # The handoff publishes the change before its projection has it: still "human", v4.
    published = await fakes.handle(mode_changed(ThreadMode.AI, "handed_back"))
    assert [(type(e), getattr(e, "in_reply_to", None)) for e in published] == [
        (AiReplyProposed, "m1")
    ]
    assert fakes.flow.asked == ["Still there? How do I export?"]
    assert fakes.memory.held_message is None
    # Answered once: a later idle hand-back finds nothing held.
    assert await fakes.handle(mode_changed(ThreadMode.AI, "idle", version=7)) == []


async def test_nothing_is_answered_when_a_teammate_replied_after_the_question() -> None:
    fakes = Fakes(mode=ThreadMode.HUMAN)
    await fakes.handle(visitor_message("How do I export?"))
    await fakes.handle(staff_reply())
    fakes.modes.set(ThreadMode.AI, 5)
    assert await fakes.handle(mode_changed(ThreadMode.AI, "idle")) == []
    assert fakes.flow.asked == []


async def test_only_a_hand_back_answers_a_held_question() -> None:
    fakes = Fakes(mode=ThreadMode.HUMAN)
    await fakes.handle(visitor_message("How do I export?"))
    for change in (
        mode_changed(ThreadMode.HUMAN, "standby"),
        mode_changed(ThreadMode.CLOSED, "closed"),
        mode_changed(ThreadMode.AI, "visitor_reopened"),
    ):
        assert await fakes.handle(change) == []
    assert fakes.flow.asked == [] and fakes.memory.held_message is not None
