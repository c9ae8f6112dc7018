"""What the handoff's subscriber calls: the shapes of its adapters, so the composition root
hands in the real stores and tests hand in fakes."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from baton_handoff.domain import ModeState


class ModeProjection(Protocol):
    """The thread mode projection (adapters.mode_store.ModeStore)."""

    async def load(self, thread_id: str, account_id: str) -> ModeState: ...

    async def save(self, state: ModeState) -> None: ...

    async def record_mode_at_message(self, message_id: str, state: ModeState) -> None: ...


class IdleTimes(Protocol):
    """Each bot's hand-back idle time (adapters.bot_settings.HandbackIdleTimes)."""

    async def for_bot(self, bot_id: str | None) -> timedelta: ...


@dataclass(frozen=True)
class HandoffAdapters:
    store: ModeProjection
    idle_times: IdleTimes
