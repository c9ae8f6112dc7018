"""Kafka topic names. Services refer to these constants, never to string literals."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Topics:
    """Topic names, optionally prefixed so that tests can run an isolated copy of the system."""

    prefix: str = ""

    @property
    def conversation_events(self) -> str:
        return f"{self.prefix}conversation.events"

    @property
    def ingest_requests(self) -> str:
        return f"{self.prefix}ingest.requests"

    @property
    def ingest_events(self) -> str:
        return f"{self.prefix}ingest.events"

    @property
    def bot_events(self) -> str:
        return f"{self.prefix}bots.events"

    def all(self) -> tuple[str, ...]:
        return (self.conversation_events, self.ingest_requests, self.ingest_events, self.bot_events)
