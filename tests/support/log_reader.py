"""Reads a whole conversation topic from Kafka, for tests that check what the log says."""

from collections import defaultdict

from aiokafka import AIOKafkaConsumer, TopicPartition

from baton_events import ConversationEvent, decode_event


async def read_topic(topic: str, bootstrap: str = "127.0.0.1:19092") -> dict[str, list[tuple[int, ConversationEvent]]]:
    """Every event of the topic, grouped by thread, each with its offset, in log order."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or set()]
        if not partitions:
            await consumer.client.force_metadata_update()
            partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or set()]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        end = await consumer.end_offsets(partitions)
        threads: dict[str, list[tuple[int, ConversationEvent]]] = defaultdict(list)
        remaining = {tp for tp in partitions if end[tp] > 0}
        while remaining:
            batch = await consumer.getmany(*remaining, timeout_ms=1000)
            for tp, records in batch.items():
                for record in records:
                    event = decode_event(record.value)
                    if event is not None:
                        threads[event.thread_id].append((record.offset, event))
                    if record.offset + 1 >= end[tp]:
                        remaining.discard(tp)
        return dict(threads)
    finally:
        await consumer.stop()
