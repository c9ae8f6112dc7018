"""Reads a whole topic from Kafka (conversation or ingest events), for tests that check what
the log says."""

import asyncio
import os
import time
from collections import defaultdict

from aiokafka import AIOKafkaConsumer

from baton_events import ConversationEvent, decode_event
from baton_events.codec import decode_ingest_event
from baton_events.ingest import IngestEvent
from tests.support.infra import infra


async def read_topic(
    topic: str, bootstrap: str | None = None, read_seconds: float = 60.0
) -> dict[str, list[tuple[int, ConversationEvent]]]:
    """Every event of the topic, grouped by thread, each with its offset, in log order."""
    threads: dict[str, list[tuple[int, ConversationEvent]]] = defaultdict(list)
    for offset, value in await _read_records(topic, bootstrap, read_seconds):
        event = decode_event(value)
        if event is not None:
            threads[event.thread_id].append((offset, event))
    return dict(threads)


async def read_ingest_topic(
    topic: str, bootstrap: str | None = None, read_seconds: float = 60.0
) -> dict[str, list[IngestEvent]]:
    """Every event of an ingest.events topic, grouped by job, in log order."""
    jobs: dict[str, list[IngestEvent]] = defaultdict(list)
    for _offset, value in await _read_records(topic, bootstrap, read_seconds):
        event = decode_ingest_event(value)
        if event is not None:
            jobs[event.job_id].append(event)
    return dict(jobs)


async def _read_records(
    topic: str, bootstrap: str | None, read_seconds: float
) -> list[tuple[int, bytes]]:
    """(offset, value) of every record, partition by partition in log order, up to the end
    the topic had when reading began."""
    # No group: the consumer is assigned every partition and reads from the start.
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap or infra().kafka_bootstrap,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    records: list[tuple[int, bytes]] = []
    deadline = time.monotonic() + read_seconds
    try:
        end: dict[object, int] = {}
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for partition_records in batch.values():
                records.extend((record.offset, record.value) for record in partition_records)
            assignment = consumer.assignment()
            if assignment and not end:
                end = dict(await consumer.end_offsets(list(assignment)))
            if end:
                positions = [await _position(consumer, tp) for tp in end]
                if all(pos >= end[tp] for pos, tp in zip(positions, end, strict=True)):
                    return records
        raise TimeoutError(f"could not read {topic} to its end in {read_seconds}s")
    finally:
        await consumer.stop()


async def _position(consumer: AIOKafkaConsumer, partition: object) -> int:
    position: int = await consumer.position(partition)
    return position


async def wait_until_consumed(
    topic: str, groups: list[str], *, within_seconds: float, bootstrap: str | None = None
) -> None:
    """Until every group has committed the end of every partition, and the end stopped
    moving (consumers that publish into the topic they read extend it)."""
    from aiokafka import TopicPartition
    from aiokafka.admin import AIOKafkaAdminClient

    address = bootstrap or infra().kafka_bootstrap
    admin = AIOKafkaAdminClient(bootstrap_servers=address)
    probe = AIOKafkaConsumer(bootstrap_servers=address)
    await admin.start()
    await probe.start()
    try:
        count = int(os.environ.get("BATON_CONVERSATION_PARTITIONS", "6"))
        partitions = [TopicPartition(topic, p) for p in range(count)]
        deadline = time.monotonic() + within_seconds
        previous_end: dict[object, int] | None = None
        while True:
            end = dict(await probe.end_offsets(partitions))
            behind = []
            for group in groups:
                committed = await admin.list_consumer_group_offsets(group)
                for tp, offset in end.items():
                    meta = committed.get(tp)
                    if offset > 0 and (meta is None or meta.offset < offset):
                        behind.append(group)
                        break
            if not behind and end == previous_end:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"groups still behind after {within_seconds}s: {behind}")
            previous_end = end
            await asyncio.sleep(1.0)
    finally:
        await probe.stop()
        await admin.close()
