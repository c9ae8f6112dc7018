"""The topics a service creates at start take their durability from the settings: the
replication factor and min.insync.replicas reach the real broker (one broker locally, so 1)."""

import asyncio
import time
import uuid
from typing import Any

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from pydantic import SecretStr

from baton_runtime.kafka import ensure_topics, topics_for
from baton_runtime.settings import CommonSettings
from tests.support.infra import infra
from tests.support.isolated import _drop_topics

pytestmark = pytest.mark.integration
TOPIC_CONFIG_SOURCE = 1
# The controller answers CreateTopics before every broker's metadata lists the partitions.
METADATA_WAIT_SECONDS = 15.0


async def _described_once_created(admin: AIOKafkaAdminClient, topic: str) -> dict[str, Any]:
    deadline = time.monotonic() + METADATA_WAIT_SECONDS
    while True:
        (description,) = await admin.describe_topics([topic])
        if description["partitions"] or time.monotonic() > deadline:
            return dict(description)
        await asyncio.sleep(0.1)


async def test_topics_are_created_with_the_configured_min_insync_replicas() -> None:
    settings = CommonSettings(
        token_secret=SecretStr(uuid.uuid4().hex),
        kafka_bootstrap=infra().kafka_bootstrap,
        topic_prefix=f"t{uuid.uuid4().hex[:10]}.",
        conversation_partitions=2,
        kafka_replication_factor=1,
        kafka_min_insync_replicas=1,
    )
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    await admin.start()
    try:
        await ensure_topics(settings)
        topic = topics_for(settings).conversation_events
        description = await _described_once_created(admin, topic)
        assert len(description["partitions"]) == 2
        assert all(len(p["replicas"]) == 1 for p in description["partitions"])
        (response,) = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, topic, configs={"min.insync.replicas": None})]
        )
        # (name, value, read_only, config_source, ...): source 1 is the topic's own config,
        # not the broker default the value would otherwise be inherited from.
        entries = {entry[0]: entry for entry in response.resources[0][4]}
        _, value, _, source, *_ = entries["min.insync.replicas"]
        assert (value, source) == ("1", TOPIC_CONFIG_SOURCE)
    finally:
        await admin.close()
        await _drop_topics(settings.topic_prefix)
