"""Retrieval for answering: Chroma's dense ranking fused with BM25 over the bot's chunks.

The BM25 index lives in this process, one snapshot per bot, rebuilt when the collection's
revision moves; a question costs one embedding, one Chroma query and an in-memory lookup.
"""

import asyncio
from collections import OrderedDict

import numpy as np
import numpy.typing as npt

from baton_retrieval.embedder import Embedder
from baton_retrieval.hybrid import CANDIDATES, LexicalSnapshot, Retrieval, rank
from baton_retrieval.store import KnowledgeStore

# Snapshots kept in memory; a bot past this many is reloaded from Chroma when asked again.
MAX_CACHED_BOTS = 64


class Retriever:
    def __init__(self, store: KnowledgeStore, embedder: Embedder) -> None:
        self._store = store
        self._embedder = embedder
        self._snapshots: OrderedDict[str, LexicalSnapshot] = OrderedDict()
        self._lock = asyncio.Lock()

    @property
    def embedder(self) -> Embedder:
        return self._embedder

    async def embed_question(self, question: str) -> npt.NDArray[np.float32]:
        # The ONNX run is CPU work: off the event loop, so Kafka heartbeats keep flowing.
        return await asyncio.to_thread(self._embedder.embed_one, question)

    async def retrieve(
        self, bot_id: str, question: str, vector: npt.NDArray[np.float32] | None = None
    ) -> Retrieval:
        """`vector` is the question's embedding when the caller already has it."""
        if vector is None:
            vector = await self.embed_question(question)
        (revision, dense), titles = await asyncio.gather(
            self._store.search_at_revision(bot_id, vector, CANDIDATES),
            self._store.titles.search(bot_id, vector, CANDIDATES),
        )
        snapshot = await self._snapshot(bot_id, revision)
        expansion = await self._expansion(snapshot, question)
        return rank(question, dense, snapshot, [title.source for title in titles], expansion)

    async def _expansion(self, snapshot: LexicalSnapshot, question: str) -> list[str]:
        neighbours = snapshot.neighbours
        if neighbours is None:
            return []
        unknown = neighbours.unknown(question)
        # Most words of a question are the docs' own and have their vector already; only the
        # rest (typos, the visitor's own terms) cost an embedding.
        embedded = (
            dict(
                zip(
                    unknown,
                    await asyncio.to_thread(self._embedder.embed_words, unknown),
                    strict=True,
                )
            )
            if unknown
            else {}
        )
        return neighbours.expand(question, embedded)

    async def _snapshot(self, bot_id: str, revision: str) -> LexicalSnapshot:
        cached = self._snapshots.get(bot_id)
        if cached is not None and cached.revision == revision:
            self._snapshots.move_to_end(bot_id)
            return cached
        async with self._lock:
            cached = self._snapshots.get(bot_id)
            if cached is not None and cached.revision == revision:
                return cached
            # Words first: a word added after the chunks were read has no postings yet, and is
            # ignored until the next revision.
            vocabulary = await self._store.vocabulary.load(bot_id)
            loaded_revision, chunks = await self._store.all_chunks(bot_id)
            snapshot = await asyncio.to_thread(
                LexicalSnapshot.build, loaded_revision, chunks, vocabulary
            )
            self._snapshots[bot_id] = snapshot
            self._snapshots.move_to_end(bot_id)
            while len(self._snapshots) > MAX_CACHED_BOTS:
                self._snapshots.popitem(last=False)
            return snapshot
