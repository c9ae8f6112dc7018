"""An in-memory copy of per-thread documents that only the fold of the replica owning the
thread's partition writes, so folding a thread's next event reads no store.

An entry is always what this replica last read from or wrote to the store for that key,
never a value of its own making, so a redelivered event folds exactly as it would from the
store. The store changes only through the owner's fold, so the copy stays true while the
ownership does: the subscriber empties it at every rebalance (`subscribe_in_thread_order`'s
`on_rebalance`), and a read or write under way across a rebalance is not kept (`epoch`). A
write that fails leaves no entry: the store may hold either value.
"""

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from prometheus_client import Counter

READS = Counter(
    "baton_owned_copy_reads",
    "Reads of a fold's per-thread documents, by copy and by where the value came from: memory "
    "(this replica folded the thread lately) or store.",
    ["copy", "source"],
)

V = TypeVar("V")


class OwnedCopy(Generic[V]):
    """A bounded, least-recently-used copy, keyed by thread id."""

    def __init__(self, name: str, capacity: int) -> None:
        self._capacity = capacity
        self._values: OrderedDict[str, V] = OrderedDict()
        self._epoch = 0
        self._memory_reads = READS.labels(name, "memory")
        self._store_reads = READS.labels(name, "store")

    def __len__(self) -> int:
        return len(self._values)

    def forget_all(self) -> None:
        """Partitions moved: another replica may fold some of these threads from now on."""
        self._values.clear()
        self._epoch += 1

    async def read(self, key: str, load: Callable[[], Awaitable[V]]) -> V:
        held = self._values.get(key)
        if held is not None:
            self._values.move_to_end(key)
            self._memory_reads.inc()
            return held
        self._store_reads.inc()
        epoch = self._epoch
        value = await load()
        self._keep(key, value, epoch)
        return value

    async def write(
        self, key: str, store: Callable[[], Awaitable[None]], after: Callable[[V | None], V | None]
    ) -> None:
        """Run the durable write `store`; then keep `after(value held before)`, the document
        as the write leaves it (None when that cannot be known without a read)."""
        held = self._values.pop(key, None)
        epoch = self._epoch
        await store()
        value = after(held)
        if value is not None:
            self._keep(key, value, epoch)

    def _keep(self, key: str, value: V, epoch: int) -> None:
        if epoch != self._epoch or self._capacity <= 0:
            return
        self._values[key] = value
        self._values.move_to_end(key)
        while len(self._values) > self._capacity:
            self._values.popitem(last=False)
