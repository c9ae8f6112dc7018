"""What the inbox's subscribers call: the shapes of their adapters, so the composition root
hands in the real stores and tests hand in fakes."""

from dataclasses import dataclass
from typing import Any, Protocol

from baton_inbox.domain import FirstChanges


class ThreadProjection(Protocol):
    """Threads and their messages as staff see them (adapters.threads.ThreadStore)."""

    async def start_thread(self, doc: dict[str, Any], position: int) -> dict[str, Any]: ...

    async def add_messages(self, docs: list[dict[str, Any]]) -> None: ...

    async def apply(
        self,
        thread_id: str,
        position: int,
        changes: dict[str, Any],
        appended: dict[str, Any] | None = None,
        first: FirstChanges | None = None,
    ) -> dict[str, Any] | None: ...

    async def thread(self, thread_id: str) -> dict[str, Any] | None: ...


class LiveChanges(Protocol):
    """Tells every inbox replica what changed (live.publisher.LivePublisher)."""

    async def thread_changed(
        self,
        thread: dict[str, Any],
        partition: int,
        position: int,
        message: dict[str, Any] | None,
    ) -> None: ...

    async def ingest_job_changed(self, account_id: str, event: dict[str, Any]) -> None: ...


class BotOwners(Protocol):
    """Which account owns a bot (adapters.bot_accounts.BotAccounts)."""

    async def account_of(self, bot_id: str) -> str | None: ...


@dataclass(frozen=True)
class InboxAdapters:
    threads: ThreadProjection
    live: LiveChanges
    bots: BotOwners
