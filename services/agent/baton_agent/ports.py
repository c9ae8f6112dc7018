"""What the agent's subscriber calls: the shapes of its adapters, so the composition root
hands in the real ones and tests hand in fakes."""

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Protocol

from baton_agent.adapters.mode_reader import ModeView
from baton_answering.answer import Answer
from baton_events import VisitorMessageReceived


class Replies(Protocol):
    """One visitor turn's answer (reply_flow.ReplyFlow)."""

    async def draft(self, message: VisitorMessageReceived) -> Answer: ...

    async def reply(
        self, message: VisitorMessageReceived, draft: Awaitable[Answer] | None = None
    ) -> Answer: ...


class ThreadMemories(Protocol):
    """What the agent remembers of a thread (adapters.thread_memory.ThreadMemoryStore)."""

    async def email_known(self, thread_id: str) -> None: ...

    async def human_replied(self, thread_id: str) -> None: ...

    async def hold(self, message: VisitorMessageReceived) -> None: ...

    async def held(self, thread_id: str) -> VisitorMessageReceived | None: ...

    async def forget_held(self, thread_id: str, message_id: str) -> None: ...


class TypingStaff(Protocol):
    """Whether a teammate is typing in a thread (adapters.staff_typing.StaffTyping)."""

    async def anyone_typing(self, account_id: str, thread_id: str) -> bool: ...


class Modes(Protocol):
    """The handoff's mode projection, read-only (adapters.mode_reader.ModeReader)."""

    async def current(self, thread_id: str) -> ModeView: ...

    async def for_message(
        self, thread_id: str, message_id: str, wait_seconds: float
    ) -> ModeView: ...


@dataclass(frozen=True)
class AgentAdapters:
    flow: Replies
    memory: ThreadMemories
    typing: TypingStaff
    modes: Modes
