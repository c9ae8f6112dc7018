"""Questions that arrive while the model is busy are embedded together, in one run.

One question alone costs the int8 MiniLM about 6 ms of CPU; in a batch of four, about 3 ms
each (the model's fixed cost per run is shared). A question that finds the model idle starts
at once, so a lone visitor waits for nothing; under load, the questions that came in during
a run go together in the next (docs/architecture.md, "Answering from memory").
"""

import asyncio
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]
# Questions per run at most: past eight, a run's cost grows with its size.
MAX_BATCH = 8


class QuestionBatches:
    def __init__(
        self,
        embed_many: Callable[[list[str]], Vector],
        max_batch: int = MAX_BATCH,
    ) -> None:
        """`embed_many`: the model's blocking call, one row per question in order; it runs in
        a worker thread, off the event loop."""
        self._embed_many = embed_many
        self._max_batch = max_batch
        self._waiting: list[tuple[str, asyncio.Future[Vector]]] = []
        self._runner: asyncio.Task[None] | None = None

    async def embed(self, question: str) -> Vector:
        future: asyncio.Future[Vector] = asyncio.get_running_loop().create_future()
        self._waiting.append((question, future))
        if self._runner is None:
            self._runner = asyncio.create_task(self._run())
        # A caller cancelled while waiting (a discarded draft) cancels its future, and the
        # runner skips it.
        return await future

    async def _run(self) -> None:
        try:
            while self._waiting:
                batch = [entry for entry in self._waiting[: self._max_batch] if not entry[1].done()]
                del self._waiting[: self._max_batch]
                if batch:
                    await self._embed_batch(batch)
        finally:
            self._runner = None
            # Cancelled (at shutdown): nobody is left to run what still waits.
            for _, future in self._waiting:
                future.cancel()
            self._waiting.clear()

    async def _embed_batch(self, batch: list[tuple[str, asyncio.Future[Vector]]]) -> None:
        try:
            vectors = await asyncio.to_thread(self._embed_many, [text for text, _ in batch])
        except asyncio.CancelledError:
            for _, future in batch:
                future.cancel()
            raise
        except Exception as error:  # every caller of the batch sees the model's failure
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        for (_, future), vector in zip(batch, vectors, strict=True):
            if not future.done():
                future.set_result(vector)
