"""ReadHandles: a kept collection handle, looked up once per expiry however many ask."""

import asyncio
from typing import Any

from baton_retrieval.chroma_collections import ReadHandles
from baton_retrieval.embedding_models import MODEL_METADATA_KEY, EmbeddingModel


class Collection:
    def __init__(self, name: str, revision: int) -> None:
        self.name = name
        self.metadata: dict[str, str | int] = {
            MODEL_METADATA_KEY: EmbeddingModel.MINILM.value,
            "revision": revision,
        }


class CountingClient:
    """Stands in for Chroma's client: counts lookups, each taking a moment of I/O."""

    def __init__(self) -> None:
        self.lookups = 0

    async def get_collection(self, name: str, embedding_function: Any = None) -> Collection:
        self.lookups += 1
        await asyncio.sleep(0.01)
        return Collection(name, self.lookups)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def revision_of(collection: object) -> int:
    assert isinstance(collection, Collection)
    return int(collection.metadata["revision"])


def handles(client: CountingClient, clock: Clock, ttl: float) -> ReadHandles:
    return ReadHandles(client, EmbeddingModel.MINILM, ttl_seconds=ttl, clock=clock)  # type: ignore[arg-type]


async def test_questions_arriving_together_share_one_lookup_per_expiry() -> None:
    client, clock = CountingClient(), Clock()
    reads = handles(client, clock, ttl=2.0)
    first = await asyncio.gather(*(reads.existing("bot-a") for _ in range(20)))
    assert client.lookups == 1 and {revision_of(c) for c in first} == {1}

    clock.now = 1.0
    await asyncio.gather(*(reads.existing("bot-a") for _ in range(20)))
    assert client.lookups == 1  # still fresh

    clock.now = 2.5  # expired: the next crowd gets the new revision, with one lookup
    after = await asyncio.gather(*(reads.existing("bot-a") for _ in range(20)))
    assert client.lookups == 2 and {revision_of(c) for c in after} == {2}


async def test_another_bots_lookup_does_not_wait_behind_this_one() -> None:
    client, clock = CountingClient(), Clock()
    reads = handles(client, clock, ttl=2.0)
    found = await asyncio.gather(reads.existing("bot-a"), reads.existing("bot-b"))
    assert [c.name if c else None for c in found] == ["bot-a", "bot-b"] and client.lookups == 2


async def test_a_forgotten_handle_is_looked_up_again() -> None:
    client, clock = CountingClient(), Clock()
    reads = handles(client, clock, ttl=2.0)
    await reads.existing("bot-a")
    reads.forget("bot-a")
    assert revision_of(await reads.existing("bot-a")) == 2


async def test_without_a_ttl_every_read_asks_the_server() -> None:
    client, clock = CountingClient(), Clock()
    reads = handles(client, clock, ttl=0.0)
    await asyncio.gather(*(reads.existing("bot-a") for _ in range(5)))
    assert client.lookups == 5
