"""A bot's chunk and title vectors held in memory, searched exactly.

A help center holds a few thousand chunks; an exact cosine over all of them is a matrix-vector
product of well under a millisecond. Reading them from Chroma once per index revision, as the
BM25 snapshot already is, spares every question two HTTP queries and the Chroma server's
work for them, and gives the ranking `baton eval`'s harness measures (exact, where HNSW is
approximate). Chroma stays the store of record: ingest writes there, and a moved revision
reloads the snapshot (docs/architecture.md, "Answering from memory").

Each page also gets its topic vector here, the normalised mean of its chunks' vectors: a page
that treats a subject throughout sits nearer a question on it than a hub page that mentions it
in one passage among many (docs/quality.md, "Page topics").
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from baton_retrieval.store import Hit

Vectors = npt.NDArray[np.float32]


def top_rows(similarities: Vectors, limit: int) -> list[int]:
    """Row numbers of the `limit` highest similarities, highest first (ties by row)."""
    if limit <= 0 or similarities.size == 0:
        return []
    if limit < similarities.size:
        candidates = np.argpartition(-similarities, limit - 1)[:limit]
    else:
        candidates = np.arange(similarities.size)
    ordered: list[int] = sorted(candidates.tolist(), key=lambda row: (-similarities[row], row))
    return ordered


@dataclass(frozen=True)
class DenseSnapshot:
    chunks: tuple[Hit, ...]
    vectors: Vectors  # one unit-length row per chunk
    title_sources: tuple[str, ...]
    title_vectors: Vectors  # one unit-length row per page title
    topic_sources: tuple[str, ...]
    topic_vectors: Vectors  # one unit-length row per page: the mean of its chunk vectors

    @classmethod
    def build(
        cls,
        chunks: Sequence[Hit],
        vectors: Vectors,
        title_sources: Sequence[str],
        title_vectors: Vectors,
    ) -> "DenseSnapshot":
        if len(chunks) != len(vectors) or len(title_sources) != len(title_vectors):
            raise ValueError("one vector per chunk and per title is needed")
        chunk_vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        topic_sources, topic_vectors = _page_topics(chunks, chunk_vectors)
        return cls(
            tuple(chunks),
            chunk_vectors,
            tuple(title_sources),
            np.ascontiguousarray(title_vectors, dtype=np.float32),
            topic_sources,
            topic_vectors,
        )

    def nearest(self, vector: Vectors, limit: int) -> list[Hit]:
        """The chunks nearest the question, with their cosine similarity (never below 0, as
        Chroma's 1 - distance was clipped)."""
        if not self.chunks:
            return []
        similarities = self.vectors @ vector
        return [
            self.chunks[row].with_similarity(max(0.0, float(similarities[row])))
            for row in top_rows(similarities, limit)
        ]

    def title_ranking(self, vector: Vectors, limit: int) -> list[str]:
        """Page sources by their title's similarity to the question, best first."""
        return _ranked_sources(self.title_sources, self.title_vectors, vector, limit)

    def topic_ranking(self, vector: Vectors, limit: int) -> list[str]:
        """Page sources by their topic vector's similarity to the question, best first."""
        return _ranked_sources(self.topic_sources, self.topic_vectors, vector, limit)


def _ranked_sources(
    sources: tuple[str, ...], vectors: Vectors, vector: Vectors, limit: int
) -> list[str]:
    if not sources:
        return []
    return [sources[row] for row in top_rows(vectors @ vector, limit)]


def _page_topics(chunks: Sequence[Hit], vectors: Vectors) -> tuple[tuple[str, ...], Vectors]:
    rows: dict[str, list[int]] = defaultdict(list)
    for row, chunk in enumerate(chunks):
        rows[chunk.source].append(row)
    if not rows:
        return (), np.zeros((0, vectors.shape[1] if vectors.ndim == 2 else 0), dtype=np.float32)
    sources = tuple(rows)
    means = np.stack([vectors[rows[source]].mean(axis=0) for source in sources])
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    # A page whose chunk vectors cancel out has no direction: a zero row, similarity 0.
    topics = np.divide(means, norms, out=np.zeros_like(means), where=norms > 0)
    return sources, np.ascontiguousarray(topics, dtype=np.float32)
