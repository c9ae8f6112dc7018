"""`python -m baton_runtime.create_topics`: create Baton's topics with the partition count,
replication factor and min.insync.replicas of the BATON_ settings, then exit. The services do
the same at start; a deployment runs this first (deploy/k8s: a Job) so that the first replicas
do not race to create them, and so that a wrong replication factor fails one visible Job."""

import asyncio

import structlog

from baton_runtime.kafka import ensure_topics, topics_for
from baton_runtime.logging import configure_logging
from baton_runtime.settings import CommonSettings


def main() -> None:
    settings = CommonSettings()
    configure_logging("create-topics", json_output=settings.log_json, level=settings.log_level)
    asyncio.run(ensure_topics(settings))
    structlog.get_logger().info(
        "topics ready",
        topics=list(topics_for(settings).all()),
        partitions=settings.conversation_partitions,
        replication_factor=settings.kafka_replication_factor,
    )


if __name__ == "__main__":
    main()
