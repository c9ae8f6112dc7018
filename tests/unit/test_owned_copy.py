"""A fold's in-memory copy of its per-thread documents: it must never answer with a value the
store does not hold, nor one read across a rebalance."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from baton_runtime.owned_copy import OwnedCopy


@dataclass(frozen=True)
class Doc:
    version: int


class CountingStore:
    def __init__(self) -> None:
        self.docs: dict[str, Doc] = {}
        self.reads = 0
        self.fail_writes = False

    async def load(self, key: str) -> Doc:
        self.reads += 1
        return self.docs.get(key, Doc(0))

    async def save(self, key: str, doc: Doc) -> None:
        if self.fail_writes:
            raise ConnectionError("store down")
        self.docs[key] = doc


def keep(doc: Doc) -> Callable[[Doc | None], Doc | None]:
    return lambda _held: doc


async def test_a_thread_folded_lately_is_read_from_memory() -> None:
    store, copy = CountingStore(), OwnedCopy[Doc]("test", capacity=10)
    first = await copy.read("t1", lambda: store.load("t1"))
    again = await copy.read("t1", lambda: store.load("t1"))
    assert again == first
    assert store.reads == 1


async def test_a_written_value_is_what_the_next_read_gets() -> None:
    store, copy = CountingStore(), OwnedCopy[Doc]("test", capacity=10)
    await copy.read("t1", lambda: store.load("t1"))
    await copy.write("t1", lambda: store.save("t1", Doc(3)), keep(Doc(3)))
    assert await copy.read("t1", lambda: store.load("t1")) == Doc(3)
    assert store.reads == 1


async def test_a_write_can_derive_the_new_value_from_the_held_one() -> None:
    store, copy = CountingStore(), OwnedCopy[Doc]("test", capacity=10)
    store.docs["t1"] = Doc(5)
    await copy.read("t1", lambda: store.load("t1"))

    def bump(held: Doc | None) -> Doc | None:
        return Doc(held.version + 1) if held else None

    await copy.write("t1", lambda: store.save("t1", Doc(6)), bump)
    assert await copy.read("t1", lambda: store.load("t1")) == Doc(6)
    # Not held before: nothing is kept, the next read goes to the store.
    await copy.write("t2", lambda: store.save("t2", Doc(1)), bump)
    assert len(copy) == 1
    assert await copy.read("t2", lambda: store.load("t2")) == Doc(1)
    assert store.reads == 2


async def test_a_failed_write_leaves_no_copy() -> None:
    store, copy = CountingStore(), OwnedCopy[Doc]("test", capacity=10)
    await copy.read("t1", lambda: store.load("t1"))
    store.fail_writes = True
    with pytest.raises(ConnectionError):
        await copy.write("t1", lambda: store.save("t1", Doc(9)), keep(Doc(9)))
    assert await copy.read("t1", lambda: store.load("t1")) == Doc(0)  # the store's, re-read
    assert store.reads == 2


async def test_a_rebalance_empties_it() -> None:
    store, copy = CountingStore(), OwnedCopy[Doc]("test", capacity=10)
    await copy.read("t1", lambda: store.load("t1"))
    copy.forget_all()
    store.docs["t1"] = Doc(7)  # another replica folded the thread meanwhile
    assert await copy.read("t1", lambda: store.load("t1")) == Doc(7)


@pytest.mark.parametrize("operation", ["read", "write"])
async def test_a_read_or_write_under_way_across_a_rebalance_is_not_kept(operation: str) -> None:
    store, copy = CountingStore(), OwnedCopy[Doc]("test", capacity=10)
    release = asyncio.Event()

    async def slow_load() -> Doc:
        await release.wait()
        return await store.load("t1")

    async def slow_save() -> None:
        await release.wait()
        await store.save("t1", Doc(2))

    under_way = asyncio.create_task(
        copy.read("t1", slow_load)
        if operation == "read"
        else copy.write("t1", slow_save, keep(Doc(2)))
    )
    await asyncio.sleep(0)
    copy.forget_all()
    release.set()
    await under_way
    assert len(copy) == 0


async def test_the_least_recently_folded_thread_leaves_first() -> None:
    store, copy = CountingStore(), OwnedCopy[Doc]("test", capacity=2)
    await copy.read("t1", lambda: store.load("t1"))
    await copy.read("t2", lambda: store.load("t2"))
    await copy.read("t1", lambda: store.load("t1"))  # t1 is now the most recent
    await copy.read("t3", lambda: store.load("t3"))
    reads = store.reads
    await copy.read("t1", lambda: store.load("t1"))
    assert store.reads == reads
    await copy.read("t2", lambda: store.load("t2"))
    assert store.reads == reads + 1


async def test_capacity_zero_always_reads_the_store() -> None:
    store, copy = CountingStore(), OwnedCopy[Doc]("test", capacity=0)
    await copy.read("t1", lambda: store.load("t1"))
    await copy.read("t1", lambda: store.load("t1"))
    assert store.reads == 2
