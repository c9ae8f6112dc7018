"""Reading the conversation log across a topic generation change.

A consumer of generation N also subscribes to generation N-1, and holds back N's records
until its whole group has committed N-1 to its end: a thread's events in N-1 (its partition
there) then all fold before its events in N (maybe another partition), as in one log. This
holds because nothing writes to N-1 once any service runs at N (every service is stopped
for the change; docs/operations.md, "Growing the partitions")."""

import asyncio
from collections.abc import Sequence
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from baton_events import Topics

log = structlog.get_logger()

# How long a consumer waits before fetching held records again: each check asks the group
# coordinator for every partition of the previous generation.
HOLD_PAUSE_SECONDS = 0.5


class GenerationGate:
    """Whether a group may read the current generation yet: open once the group has
    committed the previous generation to its end (never closes again)."""

    def __init__(self, topics: Topics) -> None:
        self._previous = topics.previous_conversation_events
        self._current = topics.conversation_events
        self._open = self._previous is None

    def subscribed_topics(self) -> tuple[str, ...]:
        if self._previous is None:
            return (self._current,)
        return (self._previous, self._current)

    async def admit(
        self, records: Sequence[ConsumerRecord[Any, Any]], consumer: AIOKafkaConsumer
    ) -> list[int]:
        """Indexes of the records to handle now. Held records (current generation, gate
        closed) are fetched again: their partitions are sought back to the first held offset,
        so the batch's commit stops before them."""
        if self._open:
            return list(range(len(records)))
        held = [i for i, record in enumerate(records) if record.topic == self._current]
        if not held or await self._previous_finished(consumer):
            return list(range(len(records)))
        # A partition's records come in offset order: its first held record is the first seen.
        first_held: dict[TopicPartition, int] = {}
        for i in held:
            record = records[i]
            first_held.setdefault(TopicPartition(record.topic, record.partition), record.offset)
        for partition, offset in first_held.items():
            consumer.seek(partition, offset)
        await asyncio.sleep(HOLD_PAUSE_SECONDS)
        return [i for i, record in enumerate(records) if record.topic != self._current]

    async def _previous_finished(self, consumer: AIOKafkaConsumer) -> bool:
        assert self._previous is not None
        numbers = consumer.partitions_for_topic(self._previous)
        if numbers:
            partitions = [TopicPartition(self._previous, n) for n in sorted(numbers)]
            ends = await consumer.end_offsets(partitions)
            for partition in partitions:
                committed = await consumer.committed(partition)
                if (committed or 0) < ends[partition]:
                    return False
        # No partitions known: the previous generation does not exist (or is deleted).
        self._open = True
        log.info("previous_generation_finished", topic=self._previous)
        return True
