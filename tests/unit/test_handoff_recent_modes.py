"""The handoff's in-memory copy of thread modes: it must never answer with a state the store
does not hold, nor one read across a rebalance."""

import asyncio

import pytest

from baton_events import ThreadMode
from baton_handoff.domain import ModeState
from baton_handoff.recent_modes import RecentModes


class CountingStore:
    def __init__(self) -> None:
        self.docs: dict[str, ModeState] = {}
        self.reads = 0
        self.fail_writes = False

    async def load(self, thread_id: str, account_id: str) -> ModeState:
        self.reads += 1
        return self.docs.get(thread_id) or ModeState(thread_id=thread_id, account_id=account_id)

    async def save(self, state: ModeState) -> None:
        if self.fail_writes:
            raise ConnectionError("store down")
        self.docs[state.thread_id] = state


def human(thread_id: str, version: int = 1) -> ModeState:
    return ModeState(thread_id, "acc", mode=ThreadMode.HUMAN, mode_version=version)


async def test_a_thread_folded_lately_is_read_from_memory() -> None:
    store, recent = CountingStore(), RecentModes(capacity=10)
    first = await recent.load("t1", "acc", store.load)
    again = await recent.load("t1", "acc", store.load)
    assert again == first
    assert store.reads == 1


async def test_a_saved_state_is_what_the_next_fold_reads() -> None:
    store, recent = CountingStore(), RecentModes(capacity=10)
    await recent.load("t1", "acc", store.load)
    await recent.save(human("t1"), store.save)
    assert await recent.load("t1", "acc", store.load) == human("t1")
    assert store.reads == 1


async def test_a_failed_write_leaves_no_copy() -> None:
    store, recent = CountingStore(), RecentModes(capacity=10)
    await recent.load("t1", "acc", store.load)
    store.fail_writes = True
    with pytest.raises(ConnectionError):
        await recent.save(human("t1"), store.save)
    loaded = await recent.load("t1", "acc", store.load)
    assert loaded.mode is ThreadMode.AI  # the store's state, not the one that failed
    assert store.reads == 2


async def test_a_rebalance_empties_it() -> None:
    store, recent = CountingStore(), RecentModes(capacity=10)
    await recent.load("t1", "acc", store.load)
    recent.forget_all()
    store.docs["t1"] = human("t1", version=7)  # another replica folded the thread meanwhile
    assert (await recent.load("t1", "acc", store.load)).mode_version == 7


async def test_a_read_under_way_across_a_rebalance_is_not_kept() -> None:
    store, recent = CountingStore(), RecentModes(capacity=10)
    release = asyncio.Event()

    async def slow_read(thread_id: str, account_id: str) -> ModeState:
        await release.wait()
        return await store.load(thread_id, account_id)

    reading = asyncio.create_task(recent.load("t1", "acc", slow_read))
    await asyncio.sleep(0)
    recent.forget_all()
    release.set()
    await reading
    assert len(recent) == 0


async def test_the_least_recently_folded_thread_leaves_first() -> None:
    store, recent = CountingStore(), RecentModes(capacity=2)
    for thread_id in ("t1", "t2"):
        await recent.load(thread_id, "acc", store.load)
    await recent.load("t1", "acc", store.load)  # t1 is now the most recent
    await recent.load("t3", "acc", store.load)
    assert len(recent) == 2
    reads = store.reads
    await recent.load("t1", "acc", store.load)
    assert store.reads == reads
    await recent.load("t2", "acc", store.load)
    assert store.reads == reads + 1


async def test_capacity_zero_always_reads_the_store() -> None:
    store, recent = CountingStore(), RecentModes(capacity=0)
    await recent.load("t1", "acc", store.load)
    await recent.load("t1", "acc", store.load)
    assert store.reads == 2
