"""Kafka topic names. Services refer to these constants, never to string literals."""

from dataclasses import dataclass
from functools import cached_property

# A conversation event's position is `generation << GENERATION_SHIFT | offset`: every event of
# a later generation of the conversation topic orders after every event of an earlier one, and
# a position stays below 2**53, so browsers read it exactly as a JSON number, up to generation
# 8191 with 2**40 records per partition.
GENERATION_SHIFT = 40
MAX_OFFSET = (1 << GENERATION_SHIFT) - 1


@dataclass(frozen=True)
class Topics:
    """Topic names, optionally prefixed so that tests can run an isolated copy of the system.

    `generation` numbers the conversation topic. Kafka moves keys when a topic gains
    partitions, which would reorder a thread's events; growing instead starts a new topic
    (`conversation.events.g1`, ...) that consumers read once their group has finished the
    previous one (docs/operations.md, "Growing the partitions")."""

    prefix: str = ""
    generation: int = 0

    # Cached: consumers ask for a position per record (`conversation_position`).
    @cached_property
    def conversation_events(self) -> str:
        return self._conversation_topic(self.generation)

    @cached_property
    def previous_conversation_events(self) -> str | None:
        """The generation consumers finish before this one, if any."""
        if self.generation == 0:
            return None
        return self._conversation_topic(self.generation - 1)

    def conversation_position(self, topic: str, offset: int) -> int:
        """A record's position in the conversation log across generations."""
        generation = self.generation
        if topic == self.previous_conversation_events:
            generation -= 1
        elif topic != self.conversation_events:
            raise ValueError(f"{topic} is not a conversation topic of generation {generation}")
        return conversation_position(generation, offset)

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

    def _conversation_topic(self, generation: int) -> str:
        suffix = f".g{generation}" if generation else ""
        return f"{self.prefix}conversation.events{suffix}"


def conversation_position(generation: int, offset: int) -> int:
    if not 0 <= offset <= MAX_OFFSET:
        raise ValueError(f"offset {offset} is outside 0..{MAX_OFFSET}")
    return generation << GENERATION_SHIFT | offset
