"""What the gateway's subscriber calls: the shapes of its adapters, so the composition root
hands in the real stores and tests hand in fakes."""

from dataclasses import dataclass
from typing import Any, Protocol

from baton_gateway.domain import HandoverPositions


class MessageLog(Protocol):
    """The messages a visitor may see (adapters.messages.VisibleMessages)."""

    async def add(self, doc: dict[str, Any]) -> None: ...

    async def record_staff_position(self, thread_id: str, position: int) -> None: ...

    async def record_ai_resume_position(self, thread_id: str, position: int) -> None: ...

    async def handover_positions(self, thread_id: str) -> HandoverPositions: ...


class SessionStates(Protocol):
    """The widget's state per thread (adapters.sessions.WidgetSessions)."""

    async def apply(self, thread_id: str, change: dict[str, Any], position: int) -> bool: ...


class StateSignals(Protocol):
    """Wakes a thread's live streams (adapters.live.LiveSignals)."""

    async def state_changed(self, thread_id: str) -> None: ...


@dataclass(frozen=True)
class GatewayAdapters:
    messages: MessageLog
    sessions: SessionStates
    live: StateSignals
