"""Reciprocal rank fusion of ranked chunk lists, and chunks grouped into pages.

RRF needs no score calibration between BM25 and cosine similarity, only ranks; a small k lets
the top of each list dominate, which suited help-center questions best (docs/quality.md).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from baton_retrieval.store import Hit

RRF_K = 10


@dataclass(frozen=True)
class ScoredChunk:
    hit: Hit
    score: float
    dense_rank: int | None
    lexical_rank: int | None


@dataclass
class PageMatch:
    """A page and its matching chunks, best first; the page ranks by its best chunk."""

    source: str
    title: str
    url: str
    score: float
    chunks: list[ScoredChunk] = field(default_factory=list)

    @property
    def similarity(self) -> float:
        return max((chunk.hit.similarity for chunk in self.chunks), default=0.0)


def page_url(url: str) -> str:
    return url.split("#", 1)[0]


def fuse(
    dense: Sequence[Hit], lexical: Sequence[Hit], *, k: int = RRF_K, lexical_weight: float = 1.0
) -> list[ScoredChunk]:
    scores: dict[str, float] = defaultdict(float)
    hits: dict[str, Hit] = {}
    dense_ranks: dict[str, int] = {}
    lexical_ranks: dict[str, int] = {}
    for rank, hit in enumerate(dense):
        scores[hit.chunk_id] += 1.0 / (k + rank + 1)
        hits[hit.chunk_id] = hit
        dense_ranks[hit.chunk_id] = rank
    for rank, hit in enumerate(lexical):
        scores[hit.chunk_id] += lexical_weight / (k + rank + 1)
        # Keep the dense copy when both lists have the chunk: it carries the similarity.
        hits.setdefault(hit.chunk_id, hit)
        lexical_ranks[hit.chunk_id] = rank
    ranked = sorted(scores, key=lambda chunk_id: (-scores[chunk_id], chunk_id))
    return [
        ScoredChunk(
            hits[chunk_id], scores[chunk_id], dense_ranks.get(chunk_id), lexical_ranks.get(chunk_id)
        )
        for chunk_id in ranked
    ]


def group_pages(chunks: Sequence[ScoredChunk]) -> list[PageMatch]:
    pages: dict[str, PageMatch] = {}
    for chunk in chunks:
        page = pages.get(chunk.hit.source)
        if page is None:
            page = PageMatch(
                chunk.hit.source, chunk.hit.title, page_url(chunk.hit.url), chunk.score
            )
            pages[chunk.hit.source] = page
        page.chunks.append(chunk)
    return sorted(pages.values(), key=lambda page: -page.score)


def add_page_ranking(
    pages: list[PageMatch], page_ranking: Sequence[str], *, weight: float, k: int = RRF_K
) -> list[PageMatch]:
    """Fuse a ranking of whole pages (by title, by topic) into the pages, as RRF does for
    chunks.

    A page named for the question's topic, or about it throughout, moves up among pages its
    passages ranked alike; a small weight keeps it from overruling the passages
    (docs/quality.md).
    """
    position = {source: rank for rank, source in enumerate(page_ranking)}
    for page in pages:
        rank = position.get(page.source)
        if rank is not None:
            page.score += weight / (k + rank + 1)
    return sorted(pages, key=lambda page: -page.score)
