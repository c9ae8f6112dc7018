"""Retrieval for answering: the dense ranking fused with BM25 over the bot's chunks.

Both live in this process, one snapshot per bot (the chunks with their vectors, the page
titles with theirs, the BM25 index and the vocabulary), reloaded from Chroma when the
collection's revision moves. A question costs one embedding and in-memory lookups; Chroma is
asked only for the revision, and only when the kept read handle has expired.
"""

import asyncio
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from baton_answering.embedded_words import EmbeddedWords
from baton_answering.question_batches import QuestionBatches
from baton_retrieval.dense_snapshot import DenseSnapshot
from baton_retrieval.embedder import Embedder
from baton_retrieval.hybrid import CANDIDATES, LexicalSnapshot, Retrieval, rank
from baton_retrieval.store import KnowledgeStore

# Snapshots kept in memory; a bot past this many is reloaded from Chroma when asked again.
MAX_CACHED_BOTS = 64


class Retriever:
    def __init__(self, store: KnowledgeStore, embedder: Embedder) -> None:
        self._store = store
        self._embedder = embedder
        self._questions = QuestionBatches(embedder.embed_queries)
        self._words = EmbeddedWords(embedder.embed_words)
        self._snapshots: OrderedDict[str, KnowledgeSnapshot] = OrderedDict()
        self._lock = asyncio.Lock()

    @property
    def embedder(self) -> Embedder:
        return self._embedder

    async def embed_question(self, question: str) -> npt.NDArray[np.float32]:
        # The ONNX run is CPU work, done off the event loop (Kafka heartbeats keep flowing)
        # and shared by the questions that come while it runs.
        return await self._questions.embed(question)

    async def retrieve(
        self, bot_id: str, question: str, vector: npt.NDArray[np.float32] | None = None
    ) -> Retrieval:
        """`vector` is the question's embedding when the caller already has it."""
        if vector is None:
            vector = await self.embed_question(question)
        revision = await self._store.kept_revision(bot_id)
        snapshot = await self._snapshot(bot_id, revision)
        dense = snapshot.dense.nearest(vector, CANDIDATES)
        titles = snapshot.dense.title_ranking(vector, CANDIDATES)
        topics = snapshot.dense.topic_ranking(vector, CANDIDATES)
        expansion = await self._expansion(snapshot.lexical, question)
        return rank(question, dense, snapshot.lexical, titles, expansion, topics)

    async def _expansion(self, snapshot: LexicalSnapshot, question: str) -> list[str]:
        neighbours = snapshot.neighbours
        if neighbours is None:
            return []
        unknown = neighbours.unknown(question)
        # Most words of a question are the docs' own and have their vector already; only the
        # rest (typos, the visitor's own terms) cost an embedding, once per process.
        embedded = await self._words.vectors(unknown) if unknown else {}
        return neighbours.expand(question, embedded)

    async def _snapshot(self, bot_id: str, revision: str) -> "KnowledgeSnapshot":
        cached = self._snapshots.get(bot_id)
        if cached is not None and cached.revision == revision:
            self._snapshots.move_to_end(bot_id)
            return cached
        async with self._lock:
            cached = self._snapshots.get(bot_id)
            if cached is not None and cached.revision == revision:
                return cached
            snapshot = await self._load(bot_id)
            self._snapshots[bot_id] = snapshot
            self._snapshots.move_to_end(bot_id)
            while len(self._snapshots) > MAX_CACHED_BOTS:
                self._snapshots.popitem(last=False)
            return snapshot

    async def _load(self, bot_id: str) -> "KnowledgeSnapshot":
        # Words first: a word added after the chunks were read has no postings yet, and is
        # ignored until the next revision. Titles after the chunks, for the same reason.
        vocabulary = await self._store.vocabulary.load(bot_id)
        revision, chunks, vectors = await self._store.chunks_with_vectors(bot_id)
        title_sources, title_vectors = await self._store.titles.with_vectors(bot_id)

        def build() -> KnowledgeSnapshot:
            return KnowledgeSnapshot(
                LexicalSnapshot.build(revision, chunks, vocabulary),
                DenseSnapshot.build(chunks, vectors, title_sources, title_vectors),
            )

        return await asyncio.to_thread(build)


@dataclass(frozen=True)
class KnowledgeSnapshot:
    """A bot's knowledge at one revision, as this process searches it."""

    lexical: LexicalSnapshot
    dense: DenseSnapshot

    @property
    def revision(self) -> str:
        return self.lexical.revision
