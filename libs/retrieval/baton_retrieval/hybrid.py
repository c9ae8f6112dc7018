"""Hybrid retrieval over one bot's chunks: Chroma's dense ranking fused with in-process BM25.

`LexicalSnapshot` is the bot's chunks at one store revision; readers keep it in memory and
rebuild it when the revision moves (any upsert or delete bumps it).
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from baton_retrieval.chunks import embed_text
from baton_retrieval.fusion import PageMatch, add_page_ranking, fuse, group_pages
from baton_retrieval.lexical import Bm25Index, stem
from baton_retrieval.store import Hit
from baton_retrieval.term_expansion import TermNeighbours, Vectors

CANDIDATES = 50
# Weight of the page-title ranking next to the dense and lexical chunk rankings (weight 1 each).
TITLE_WEIGHT = 0.3
# Weight of the page-topic ranking (each page's mean chunk vector; DenseSnapshot.topic_ranking).
# It lifts a page about the question over a hub page with one matching passage; 0.1-0.25 gave
# the same gain on both dev sets, 0.2 sits inside that range (docs/quality.md, "Page topics").
TOPIC_WEIGHT = 0.2
# A word written like a name (an inner capital, or all capitals) in a question: "QuickBooks",
# "HIPAA", "iPhone". If the docs never mention it, they cannot be about it.
_NAME_LIKE = re.compile(r"\b(?:[A-Za-z]*[a-z][A-Z][A-Za-z]*|[A-Z]{3,}|[A-Z][a-z]+[A-Z]\w*)\b")
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}\b")


@dataclass(frozen=True)
class LexicalSnapshot:
    revision: str
    chunks: tuple[Hit, ...]
    index: Bm25Index
    neighbours: TermNeighbours | None = None

    @classmethod
    def build(
        cls,
        revision: str,
        chunks: Sequence[Hit],
        vocabulary: tuple[list[str], Vectors] | None = None,
    ) -> "LexicalSnapshot":
        """`vocabulary`: the bot's words and their vectors (VocabularyStore.load), which
        let a question's words reach the docs' own words (term_expansion.py)."""
        documents = [embed_text(c.title, c.heading, c.text) for c in chunks]
        index = Bm25Index(documents)
        neighbours = None
        if vocabulary is not None and vocabulary[0]:
            neighbours = TermNeighbours(*vocabulary, known=index.knows)
        return cls(revision, tuple(chunks), index, neighbours)

    def search(self, question: str, limit: int, expansion: Sequence[str] = ()) -> list[Hit]:
        """`expansion`: words of the docs added to the question's own (`TermNeighbours`), at
        the same weight: a lower one lost the gain (docs/quality.md, "Vocabulary neighbours")."""
        query = " ".join([question, *expansion])
        return [self.chunks[index] for index, _ in self.index.top(query, limit)]

    def weigh(self, term: str) -> float:
        """A question word's weight: rare words in these docs say most about the topic."""
        return self.index.idf.get(term, self.index.unseen_idf())

    def unknown_names(self, question: str) -> list[str]:
        """Name-like words of the question that no chunk of the bot contains."""
        words = {m.group(0) for m in _NAME_LIKE.finditer(question)}
        words |= {m.group(0) for m in _CAPITALISED.finditer(question)}
        unknown = []
        for word in sorted(words):
            term = stem(word.lower())
            if word.lower() not in _COMMON and not self.index.knows(term):
                unknown.append(word)
        return unknown


# Capitalised words that are names in no help center.
_COMMON = frozenset(
    [
        "i",
        "im",
        "ive",
        "id",
        "hi",
        "hello",
        "hey",
        "thanks",
        "please",
        "can",
        "could",
        "how",
        "what",
        "why",
        "when",
        "where",
        "who",
        "which",
        "is",
        "are",
        "do",
        "does",
        "did",
        "my",
        "our",
        "we",
        "you",
        "your",
        "the",
        "a",
        "an",
        "is",
        "it",
        "this",
        "that",
        "ok",
        "okay",
    ]
)


@dataclass(frozen=True)
class Retrieval:
    pages: list[PageMatch]
    top_similarity: float
    unknown_names: list[str]
    weigh: Callable[[str], float]
    # How far the separate rankings agree on the first page (`ranking_agreement`): the basis
    # of the confidence staff see, since it tells a right page from a wrong one on help
    # centers nobody tuned for, where the similarity does not (docs/quality.md).
    agreement: float = 0.0


def page_order(sources: Iterable[str]) -> list[str]:
    """Pages in the order of their first passage in a chunk ranking."""
    return list(dict.fromkeys(sources))


def ranking_agreement(page: str, rankings: Sequence[Sequence[str]]) -> float:
    """The mean of 1 / (1 + the page's place) over the rankings that ranked anything: 1.0
    when every ranking puts it first, 0 when none has it. Ranks only, so it needs no scale
    shared by cosine similarity, BM25 and the title vectors."""
    present = [ranking for ranking in rankings if ranking]
    if not present:
        return 0.0
    total = 0.0
    for ranking in present:
        if page in ranking:
            total += 1.0 / (1 + list(ranking).index(page))
    return total / len(present)


def _keep_own_passages(pages: list[PageMatch], unexpanded: list[PageMatch]) -> None:
    """The docs' words near the visitor's help find the page; within it, the passages are
    ordered by the visitor's own words, since an added near synonym pulled them off the
    point (a section repeating "meeting" over the one on shared calendars; docs/quality.md).
    The page keeps its scores, handed down in the new order, so pages still compare as
    ranked."""
    own = {page.source: page.chunks for page in unexpanded}
    for page in pages:
        order = own.get(page.source)
        if order is None:
            continue
        mine = {chunk.hit.chunk_id: chunk for chunk in page.chunks}
        reordered = [mine.pop(c.hit.chunk_id) for c in order if c.hit.chunk_id in mine]
        reordered += mine.values()  # found only through the added words, in their order
        scores = [chunk.score for chunk in page.chunks]
        page.chunks = [
            replace(chunk, score=score) for chunk, score in zip(reordered, scores, strict=True)
        ]


def rank(
    question: str,
    dense: Sequence[Hit],
    snapshot: LexicalSnapshot,
    title_ranking: Sequence[str] = (),
    expansion: Sequence[str] = (),
    topic_ranking: Sequence[str] = (),
) -> Retrieval:
    """`title_ranking`: page sources by their title's similarity to the question, best first;
    `expansion`: the docs' words near the question's (`TermNeighbours.expand`);
    `topic_ranking`: page sources by their topic vector's similarity, best first."""
    lexical = snapshot.search(question, CANDIDATES, expansion)
    pages = group_pages(fuse(dense, lexical))
    if expansion:
        _keep_own_passages(pages, group_pages(fuse(dense, snapshot.search(question, CANDIDATES))))
    if title_ranking:
        pages = add_page_ranking(pages, title_ranking, weight=TITLE_WEIGHT)
    if topic_ranking:
        pages = add_page_ranking(pages, topic_ranking, weight=TOPIC_WEIGHT)
    top_similarity = max((hit.similarity for hit in dense), default=0.0)
    agreement = (
        ranking_agreement(
            pages[0].source,
            [
                page_order(hit.source for hit in dense),
                page_order(hit.source for hit in lexical),
                title_ranking,
            ],
        )
        if pages
        else 0.0
    )
    return Retrieval(
        pages, top_similarity, snapshot.unknown_names(question), snapshot.weigh, agreement
    )
