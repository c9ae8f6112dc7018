"""kafka_rtt_ms: raw produce -> consume on a throwaway topic, one record at a time, with the
producer settings the services use (acks=all, idempotent): the floor under any answer."""

import asyncio
import time
import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from tests.bench.load.histogram import LatencyHistogram

RECORD_WAIT_S = 10.0


async def kafka_round_trips(bootstrap: str, rounds: int) -> LatencyHistogram:
    topic = f"bench.rtt.{uuid.uuid4().hex[:12]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    latencies = LatencyHistogram()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
        await producer.start()
        await consumer.start()
        partition = TopicPartition(topic, 0)
        consumer.assign([partition])
        await consumer.seek_to_beginning(partition)
        for index in range(rounds):
            sent_at = time.perf_counter()
            await producer.send_and_wait(topic, str(index).encode())
            await asyncio.wait_for(consumer.getone(), RECORD_WAIT_S)
            latencies.record_ms((time.perf_counter() - sent_at) * 1000)
    finally:
        await consumer.stop()
        await producer.stop()
        try:
            await admin.delete_topics([topic])
        finally:
            await admin.close()
    return latencies
