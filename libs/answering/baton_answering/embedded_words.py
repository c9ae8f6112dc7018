"""Vectors of the single words that visitors use and a bot's vocabulary lacks, kept across
questions: typos and a visitor's own terms recur, and each new one costs an ONNX run on the
answer path. A word's vector depends on the model only, so every bot shares them."""

import asyncio
from collections import OrderedDict
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]
# About 1.5 KB each (384 float32): 20,000 words hold 30 MB.
DEFAULT_CAPACITY = 20_000


class EmbeddedWords:
    def __init__(
        self,
        embed: Callable[[list[str]], npt.NDArray[np.float32]],
        capacity: int = DEFAULT_CAPACITY,
    ) -> None:
        self._embed = embed
        self._capacity = capacity
        self._held: OrderedDict[str, Vector] = OrderedDict()

    async def vectors(self, words: list[str]) -> dict[str, Vector]:
        """Each word's vector; only the words not held are embedded, off the event loop."""
        asked = list(dict.fromkeys(words))
        # Taken before the await: another question's embedding may evict them meanwhile.
        found = {word: self._held[word] for word in asked if word in self._held}
        missing = [word for word in asked if word not in found]
        if missing:
            computed = await asyncio.to_thread(self._embed, missing)
            found.update(zip(missing, computed, strict=True))
        for word in asked:
            self._held[word] = found[word]
            self._held.move_to_end(word)
        while len(self._held) > self._capacity:
            self._held.popitem(last=False)
        return found
