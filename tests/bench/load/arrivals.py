"""Messages awaited by id on a live stream, whichever comes first: the wait or the frame."""

import asyncio
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Arrival:
    received_at: float  # time.perf_counter() when the frame was read
    data: dict[str, Any]


class Arrivals:
    def __init__(self) -> None:
        self._by_id: dict[str, asyncio.Future[Arrival]] = {}

    def _future(self, message_id: str) -> asyncio.Future[Arrival]:
        if message_id not in self._by_id:
            self._by_id[message_id] = asyncio.get_running_loop().create_future()
        return self._by_id[message_id]

    def arrived(self, message_id: str, arrival: Arrival) -> None:
        future = self._future(message_id)
        if not future.done():  # a replayed frame keeps the first arrival time
            future.set_result(arrival)

    async def wait(self, message_id: str, timeout_s: float) -> Arrival | None:
        try:
            return await asyncio.wait_for(asyncio.shield(self._future(message_id)), timeout_s)
        except TimeoutError:
            return None
