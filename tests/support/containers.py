"""BATON_TEST_INFRA=containers: Kafka, MongoDB, Redis and Chroma from testcontainers.

Only where a Docker engine runs (not on the machines `make` targets, which start real servers
as local processes instead). The containers' addresses go into the BATON_* environment that
tests/support/infra.py and IsolatedSystem read.
"""

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

CHROMA_IMAGE = "chromadb/chroma:1.5.9"


@contextmanager
def containers() -> Iterator[None]:
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.waiting_utils import wait_for_logs
    from testcontainers.kafka import KafkaContainer
    from testcontainers.mongodb import MongoDbContainer
    from testcontainers.redis import RedisContainer

    with ExitStack() as stack:
        kafka: Any = stack.enter_context(KafkaContainer().with_kraft())
        mongo: Any = stack.enter_context(MongoDbContainer("mongo:7"))
        redis: Any = stack.enter_context(RedisContainer("redis:7"))
        chroma: Any = stack.enter_context(DockerContainer(CHROMA_IMAGE).with_exposed_ports(8000))
        wait_for_logs(chroma, "listening", timeout=60)
        os.environ.update(
            {
                "BATON_KAFKA_BOOTSTRAP": kafka.get_bootstrap_server(),
                "BATON_MONGO_URL": mongo.get_connection_url(),
                "BATON_REDIS_URL": (
                    f"redis://{redis.get_container_host_ip()}:{redis.get_exposed_port(6379)}/0"
                ),
                "BATON_CHROMA_HOST": chroma.get_container_host_ip(),
                "BATON_CHROMA_PORT": str(chroma.get_exposed_port(8000)),
            }
        )
        yield
