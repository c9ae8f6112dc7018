"""What the handoff's subscriber calls: the shapes of its adapters, so the composition root
hands in the real stores and tests hand in fakes."""

from dataclasses import dataclass
from typing import Protocol

from baton_handoff.domain import ModeState


class ModeProjection(Protocol):
    """The thread mode projection (adapters.mode_store.ModeStore)."""

    async def load(self, thread_id: str, account_id: str) -> ModeState: ...

    async def save(self, state: ModeState) -> None: ...

    async def record_mode_at_message(self, message_id: str, state: ModeState) -> None: ...


@dataclass(frozen=True)
class HandoffAdapters:
    store: ModeProjection
