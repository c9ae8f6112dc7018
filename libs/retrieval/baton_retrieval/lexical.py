"""An in-process BM25 index over a bot's chunks.

Dense MiniLM vectors miss exact names (a menu item, a command, an error code); BM25 catches
them. A help center holds a few thousand chunks at most, so a plain inverted index in memory
answers in well under a millisecond per query term.
"""

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

# Function words plus chat filler ("please", "want", "way"): they carry no topic in a question.
STOPWORDS = frozenset(
    """
    a an the and or but if of to in on at by for with from as is are was were be been being am
    do does did doing have has had having i me my we our us you your he she it its they them
    their this that these those there here what which who whom whose when where why how can
    could should would will shall may might must not no nor so than too very just also any all
    some such only own same other into out up down over under again further then once about
    against between through during before after above below off more most each few both s t don
    now get got want need like use using way possible make sure please hi hello thanks thank im
    ive id dont cant wont isnt doesnt didnt
    """.split()  # noqa: SIM905
)
_WORD = re.compile(r"[a-z0-9]+")
_SUFFIXES = ("ing", "edly", "ed", "ies", "es", "s")


# A help center's words and a day's questions are a few tens of thousands of words.
@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """A light suffix stripper: enough to meet 'importing' with 'import', never aggressive."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def terms(text: str) -> list[str]:
    return [stem(word) for word in _WORD.findall(text.lower()) if word not in STOPWORDS]


# The chunks and sections that answers are read from are the same few thousand texts question
# after question; a set of a passage's terms is a few kilobytes.
@lru_cache(maxsize=4096)
def term_set(text: str) -> frozenset[str]:
    """The distinct terms of a text, for "does it mention ..." tests on passages."""
    return frozenset(terms(text))


class Bm25Index:
    """Okapi BM25 (k1=1.2, b=0.75) over documents given as plain strings."""

    def __init__(self, documents: Sequence[str], *, k1: float = 1.2, b: float = 0.75) -> None:
        # Each posting holds its document's BM25 term-frequency part, fixed once the lengths
        # are known: a query then costs one multiplication per posting.
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        counted = [Counter(terms(document)) for document in documents]
        self._lengths: list[int] = [sum(counts.values()) for counts in counted]
        self.size = len(self._lengths)
        self._average_length = sum(self._lengths) / self.size if self.size else 0.0
        for doc_index, counts in enumerate(counted):
            if not counts:  # nothing to post; and an index of empty texts has no average
                continue
            norm = 1 - b + b * self._lengths[doc_index] / self._average_length
            for term, frequency in counts.items():
                weight = frequency * (k1 + 1) / (frequency + k1 * norm)
                self._postings[term].append((doc_index, weight))
        self.idf = {
            term: math.log(1 + (self.size - len(hits) + 0.5) / (len(hits) + 0.5))
            for term, hits in self._postings.items()
        }

    def unseen_idf(self) -> float:
        """The idf a term would have if one document held it: what an unknown word weighs."""
        return math.log(1 + (self.size - 0.5) / 1.5) if self.size else 0.0

    def knows(self, term: str) -> bool:
        return term in self._postings

    def scores(self, query: str) -> dict[int, float]:
        """BM25 score per document index, for documents sharing at least one query term."""
        scored: dict[int, float] = defaultdict(float)
        for term in set(terms(query)):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for doc_index, weight in self._postings[term]:
                scored[doc_index] += idf * weight
        return dict(scored)

    def top(self, query: str, limit: int) -> list[tuple[int, float]]:
        """The `limit` best documents, best first, ties by index."""
        return heapq.nlargest(limit, self.scores(query).items(), key=_best_first)


def _best_first(item: tuple[int, float]) -> tuple[float, int]:
    return item[1], -item[0]


def vocabulary(documents: Iterable[str]) -> set[str]:
    return {term for document in documents for term in terms(document)}
