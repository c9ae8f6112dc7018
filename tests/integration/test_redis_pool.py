"""A burst of Redis commands past the pool's size waits for a free connection: the gateway
answered 500 ("Too many connections") when 200 visitors opened sessions at once."""

import asyncio
import uuid

import pytest
from pydantic import SecretStr

from baton_runtime.settings import CommonSettings
from baton_runtime.stores import connect_redis
from tests.support.infra import infra

pytestmark = pytest.mark.integration


async def test_a_burst_past_the_pool_size_waits_instead_of_failing() -> None:
    settings = CommonSettings(token_secret=SecretStr(uuid.uuid4().hex), redis_url=infra().redis_url)
    client = await connect_redis(settings)
    key = f"pool-test:{uuid.uuid4().hex}"
    try:
        burst = 3 * settings.redis_max_connections
        counts = await asyncio.gather(*(client.incr(key) for _ in range(burst)))
        assert sorted(counts) == list(range(1, burst + 1))
    finally:
        await client.delete(key)
        await client.aclose()
