"""Conversation records handled as they arrive, in lanes, and the offsets that are safe to
commit.

A lane is one thread (or one partition, for a consumer that must fold a partition in offset
order). Each lane has one worker that runs its records one after another in log order;
different lanes run concurrently, also within one partition. Records keep arriving while
lanes run: nothing waits for a batch's slowest lane (the head-of-line wait of handling a
fetched batch as a unit). For each partition the offset to commit is the lowest record not
yet finished, so a crash loses nothing: every record after it comes again, and every handler
is idempotent (projections keyed by message id and guarded by log position, outputs with
deterministic ids).

A failed record is retried in place (the handler logs it and pauses first): its lane waits,
since the thread's later events must not pass it, and the partition's commit stays behind it;
other lanes go on.
"""

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from aiokafka import TopicPartition

_Value = TypeVar("_Value")


@dataclass
class _Partition:
    """Offsets of one partition in flight, in offset order (records of a partition arrive in
    offset order), and where the next record would start."""

    in_flight: deque[int] = field(default_factory=deque)
    finished: set[int] = field(default_factory=set)
    next_offset: int = 0
    committed: int = 0

    def finish(self, offset: int) -> None:
        self.finished.add(offset)
        while self.in_flight and self.in_flight[0] in self.finished:
            self.finished.discard(self.in_flight.popleft())

    @property
    def safe_offset(self) -> int:
        """Every record before it is finished."""
        return self.in_flight[0] if self.in_flight else self.next_offset


@dataclass(frozen=True)
class LaneItem(Generic[_Value]):
    """One record in a lane: where it lies, and what its work is run with."""

    partition: TopicPartition
    offset: int
    value: _Value


class LanePipeline(Generic[_Value]):
    """Lanes of work fed record by record, and the commit position of each partition.

    `run_item` runs one item (with its own retries and logging). `group_hook`, when given,
    runs before each group of items a lane's worker takes at once (the records that queued
    while the lane was busy), with all of them; an item queued later is in the next group."""

    def __init__(
        self,
        run_item: Callable[[_Value], Awaitable[None]],
        group_hook: Callable[[list[_Value]], Awaitable[None]] | None = None,
        max_in_flight: int = 200,
    ) -> None:
        self._run_item = run_item
        self._group_hook = group_hook
        self._max_in_flight = max_in_flight
        self._queued: dict[Hashable, list[LaneItem[_Value]]] = {}  # not yet taken by the worker
        self._taken: dict[Hashable, list[LaneItem[_Value]]] = {}  # the worker's group, unfinished
        self._workers: dict[Hashable, asyncio.Task[None]] = {}
        self._partitions: dict[TopicPartition, _Partition] = {}
        self._in_flight = 0
        self._moved = False  # a commit position moved since `take_commit_positions`
        self._tick = asyncio.Event()  # set (and replaced) whenever a record finishes
        self._closed = False

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def seen(self, partition: TopicPartition, offset: int) -> None:
        """A record that needs no work (unreadable, of an unknown type): it only moves the
        partition's commit position."""
        state = self._state(partition, offset)
        if offset >= state.next_offset:
            state.next_offset = offset + 1
            self._notify()

    def add(self, lane: Hashable, item: LaneItem[_Value]) -> None:
        """Queue a record's work at the end of its lane. A record already seen (fetched again
        after a seek) is ignored: it is finished or still in its lane."""
        if self._closed:
            return  # never finished, never committed: the group's next member gets it
        state = self._state(item.partition, item.offset)
        if item.offset < state.next_offset:
            return
        state.in_flight.append(item.offset)
        state.next_offset = item.offset + 1
        self._in_flight += 1
        self._queued.setdefault(lane, []).append(item)
        if lane not in self._workers:
            self._workers[lane] = asyncio.create_task(self._work(lane))

    async def room(self) -> None:
        """Returns once fewer than `max_in_flight` records are in flight."""
        while self._in_flight >= self._max_in_flight:
            await self._tick.wait()

    async def progressed(self) -> None:
        """Returns once a commit position may have moved since the last
        `take_commit_positions`."""
        while not self._moved:
            await self._tick.wait()

    def take_commit_positions(self) -> dict[TopicPartition, int]:
        """Per partition, the offset to commit (every record before it is finished), for the
        partitions whose position moved since the last call."""
        self._moved = False
        positions: dict[TopicPartition, int] = {}
        for partition, state in self._partitions.items():
            if state.safe_offset > state.committed:
                positions[partition] = state.committed = state.safe_offset
        return positions

    async def release(self, partitions: Iterable[TopicPartition], grace_seconds: float) -> None:
        """Partitions leaving this member: their lanes get `grace_seconds` to finish, then are
        cancelled (their records were never finished: the commit stays before them). The
        caller commits `take_commit_positions()`, then calls `forget`."""
        leaving = set(partitions)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace_seconds
        while any(self._partitions[p].in_flight for p in leaving if p in self._partitions):
            left = deadline - loop.time()
            if left <= 0:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._tick.wait(), timeout=left)
        for lane in list(self._workers):
            items = self._taken.get(lane, []) + self._queued.get(lane, [])
            if any(item.partition in leaving for item in items):
                await self._cancel(lane)

    def commit_failed(self, positions: dict[TopicPartition, int]) -> None:
        """Positions taken for a commit that did not happen: offered again at the next take."""
        for partition, offset in positions.items():
            state = self._partitions.get(partition)
            if state is not None and state.committed == offset:
                state.committed = -1
        self._moved = True

    def forget(self, partitions: Iterable[TopicPartition]) -> None:
        for partition in partitions:
            self._partitions.pop(partition, None)

    async def close(self, grace_seconds: float) -> None:
        """Takes no more records; waits up to `grace_seconds` for every lane, then cancels
        what is left."""
        self._closed = True
        await self.release(list(self._partitions), grace_seconds)

    def reopen(self) -> None:
        """After `close`: takes records again, positions known afresh from the first seen."""
        self._closed = False
        self._partitions.clear()

    def _state(self, partition: TopicPartition, offset: int) -> _Partition:
        state = self._partitions.get(partition)
        if state is None:
            # The first record seen: this member's position started there, so nothing before
            # it is its to commit.
            state = self._partitions[partition] = _Partition(next_offset=offset, committed=offset)
        return state

    async def _work(self, lane: Hashable) -> None:
        try:
            while self._queued.get(lane):
                group = self._taken[lane] = self._queued.pop(lane)
                if self._group_hook is not None:
                    await self._group_hook([item.value for item in group])
                while group:
                    await self._run_item(group[0].value)
                    self._finish(group.pop(0))
                del self._taken[lane]
        finally:
            if self._workers.get(lane) is asyncio.current_task():
                del self._workers[lane]

    async def _cancel(self, lane: Hashable) -> None:
        worker = self._workers.pop(lane, None)
        dropped = self._taken.pop(lane, []) + self._queued.pop(lane, [])
        self._in_flight -= len(dropped)
        if worker is not None:
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker

    def _finish(self, item: LaneItem[_Value]) -> None:
        state = self._partitions.get(item.partition)
        if state is not None:
            state.finish(item.offset)
        self._in_flight -= 1
        self._notify()

    def _notify(self) -> None:
        self._moved = True
        tick, self._tick = self._tick, asyncio.Event()
        tick.set()
