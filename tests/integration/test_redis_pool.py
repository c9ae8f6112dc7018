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


async def test_connections_killed_by_the_server_are_reopened_not_failed() -> None:
    """A restarted Redis leaves every pooled connection dead: the gateway answered 500 to new
    sessions after a restart until each one had failed once (found by make bench-faults)."""
    settings = CommonSettings(token_secret=SecretStr(uuid.uuid4().hex), redis_url=infra().redis_url)
    client = await connect_redis(settings)
    killer = await connect_redis(settings)
    key = f"pool-test:{uuid.uuid4().hex}"
    try:
        pool = client.connection_pool
        held = [await pool.get_connection() for _ in range(3)]  # type: ignore[no-untyped-call]
        ids = []
        for connection in held:
            await connection.send_command("CLIENT", "ID")
            ids.append(int(await connection.read_response()))
        for connection in held:
            await pool.release(connection)
        for client_id in ids:
            killed = await killer.execute_command(  # type: ignore[no-untyped-call]
                "CLIENT", "KILL", "ID", client_id
            )
            assert killed == 1
        async with client.pipeline(transaction=True) as transaction:
            transaction.incr(key)
            transaction.expire(key, 60)
            in_transaction = transaction.execute()
            await asyncio.gather(*(client.incr(key) for _ in range(3)), in_transaction)
        stored = await client.get(key)
        assert stored is not None and int(stored) == 4  # each command applied once, none failed
    finally:
        await client.delete(key)
        await client.aclose()
        await killer.aclose()
