"""Where the test infrastructure is: the servers `make` starts on loopback (default), or, with
BATON_TEST_INFRA=containers on a machine with a Docker engine, testcontainers.

Tests take addresses from here, never literals, so both ways run the same suite.
"""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Infra:
    kafka_bootstrap: str
    mongo_url: str
    redis_url: str
    chroma_host: str
    chroma_port: int


def infra() -> Infra:
    return Infra(
        kafka_bootstrap=os.environ.get("BATON_KAFKA_BOOTSTRAP", "127.0.0.1:19092"),
        mongo_url=os.environ.get("BATON_MONGO_URL", "mongodb://127.0.0.1:27117/"),
        redis_url=os.environ.get("BATON_REDIS_URL", "redis://127.0.0.1:16379/0"),
        chroma_host=os.environ.get("BATON_CHROMA_HOST", "127.0.0.1"),
        chroma_port=int(os.environ.get("BATON_CHROMA_PORT", "18000")),
    )


INFRA_KEYS = (
    "BATON_KAFKA_BOOTSTRAP",
    "BATON_MONGO_URL",
    "BATON_REDIS_URL",
    "BATON_CHROMA_HOST",
    "BATON_CHROMA_PORT",
)
