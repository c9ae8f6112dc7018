"""The mode state of the threads this replica folded lately, kept in memory so that folding a
thread's next event reads no store.

An entry is always what this replica last read from or wrote to the store for the thread,
never a state of its own making: a fold that only moves the log position is not saved
(`worth_saving`), and it is not kept here either, so a redelivered event folds exactly as it
would from the store. The store changes only through the fold of the replica that owns the
thread's partition, so the copy stays true while the ownership does: every rebalance empties
it, and a read or write that was under way across a rebalance is not kept (`epoch`).
"""

from collections import OrderedDict
from collections.abc import Awaitable, Callable

from prometheus_client import Counter

from baton_handoff.domain import ModeState

READS = Counter(
    "baton_handoff_mode_reads",
    "Thread mode reads of the fold, by where the state came from: memory (this replica folded "
    "the thread lately) or store.",
    ["source"],
)

ReadMode = Callable[[str, str], Awaitable[ModeState]]
WriteMode = Callable[[ModeState], Awaitable[None]]


class RecentModes:
    """A bounded, least-recently-used copy of the store's mode documents."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._states: OrderedDict[str, ModeState] = OrderedDict()
        self._epoch = 0

    def __len__(self) -> int:
        return len(self._states)

    def forget_all(self) -> None:
        """Partitions moved: another replica may fold some of these threads from now on."""
        self._states.clear()
        self._epoch += 1

    async def load(self, thread_id: str, account_id: str, read: ReadMode) -> ModeState:
        held = self._states.get(thread_id)
        if held is not None:
            self._states.move_to_end(thread_id)
            READS.labels("memory").inc()
            return held
        READS.labels("store").inc()
        epoch = self._epoch
        state = await read(thread_id, account_id)
        self._keep(state, epoch)
        return state

    async def save(self, state: ModeState, write: WriteMode) -> None:
        # Until the write returns the store may hold either state: a failed write leaves
        # no copy, and the next fold reads the store.
        self._states.pop(state.thread_id, None)
        epoch = self._epoch
        await write(state)
        self._keep(state, epoch)

    def _keep(self, state: ModeState, epoch: int) -> None:
        if epoch != self._epoch or self._capacity <= 0:
            return
        self._states[state.thread_id] = state
        self._states.move_to_end(state.thread_id)
        while len(self._states) > self._capacity:
            self._states.popitem(last=False)
