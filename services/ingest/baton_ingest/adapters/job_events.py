"""Publishes ingest job events to Kafka (acks=all, idempotent producer), keyed by bot."""

from faststream.kafka import KafkaBroker

from baton_events.ingest import IngestEventEnvelope
from baton_runtime.kafka import publish_event


class KafkaJobEvents:
    def __init__(self, broker: KafkaBroker, topic: str) -> None:
        self._broker = broker
        self._topic = topic

    async def publish(self, event: IngestEventEnvelope) -> None:
        await publish_event(self._broker, self._topic, event)
