"""Visitors' words matched to the help center's own words, for the BM25 side of retrieval.

Visitors write "automatically", "phone", "dissapearing"; the docs say "automatic", "telephone",
"disappear". A stemmer meets only some of these. Each word of a question is compared, as a
MiniLM vector, with every word the bot's chunks use (the vocabulary, embedded once at ingest);
the nearest one of another stem is added to the lexical query when the two are near
synonyms. The vocabulary is the bot's own, so nothing is written per help center
(docs/quality.md, "Vocabulary neighbours").
"""

import re
from collections.abc import Callable, Iterable, Mapping

import numpy as np
import numpy.typing as npt

from baton_retrieval.dense_snapshot import top_rows
from baton_retrieval.lexical import STOPWORDS, stem

# Cosine of two single words' MiniLM vectors above which they are taken as one term. Below
# about 0.75, words of one topic but another meaning join ("rows" for "spreadsheet").
NEIGHBOUR_SIMILARITY = 0.8
# Words added to one question at most, the nearest first: each one also brings pages of its
# own, and a long question would otherwise outweigh its own words with them.
MAX_ADDED = 2
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")
# camelCase or digits: an identifier from code (sAMAccountName, portalId), not a visitor's word.
_IDENTIFIER = re.compile(r"[a-z][A-Z]|[0-9]")
# Longer tokens are ids, hashes or URLs, not words a visitor types.
_MAX_WORD_LENGTH = 24

Vectors = npt.NDArray[np.float32]


def vocabulary_words(text: str) -> set[str]:
    """The words of a text that can carry a topic, lower-cased: three letters or more, and
    no identifiers."""
    words = (token.lower() for token in _WORD.findall(text) if not _IDENTIFIER.search(token))
    return {word for word in words if 3 <= len(word) <= _MAX_WORD_LENGTH and word not in STOPWORDS}


class TermNeighbours:
    """The bot's vocabulary as unit vectors, one row per word."""

    def __init__(self, words: list[str], vectors: Vectors, known: Callable[[str], bool]) -> None:
        """`known`: whether a stemmed term is in the lexical index now; words of pages since
        removed stay in the vocabulary and must not be offered."""
        keep = [index for index, word in enumerate(words) if known(stem(word))]
        self._words = [words[index] for index in keep]
        self._vectors: Vectors = (
            vectors[keep] if keep else np.zeros((0, vectors.shape[1] if vectors.ndim == 2 else 0))
        ).astype(np.float32)
        self._rows = {word: row for row, word in enumerate(self._words)}
        self._known_neighbours: dict[str, tuple[str, float] | None] = {}

    def __len__(self) -> int:
        return len(self._words)

    def unknown(self, question: str) -> list[str]:
        """The question's words with no vector here yet: the caller embeds them."""
        return sorted(word for word in vocabulary_words(question) if word not in self._rows)

    def expand(self, question: str, embedded: Mapping[str, Vectors]) -> list[str]:
        """One neighbour per question word, nearest first; `embedded` holds the vectors of
        the words `unknown` named."""
        if not self._words:
            return []
        words = sorted(vocabulary_words(question))
        asked = {stem(word) for word in words}
        found: dict[str, float] = {}
        for word in words:
            nearest = self._neighbour(word, embedded)
            if nearest is not None and stem(nearest[0]) not in asked:
                found[nearest[0]] = max(nearest[1], found.get(nearest[0], 0.0))
        ranked = sorted(found, key=lambda neighbour: (-found[neighbour], neighbour))
        return ranked[:MAX_ADDED]

    def _neighbour(self, word: str, embedded: Mapping[str, Vectors]) -> tuple[str, float] | None:
        # A vocabulary word's neighbour never changes for this snapshot, and questions reuse
        # the same words: kept, it saves a product with the whole vocabulary per word (a few
        # ms of every answer). Visitors' own words are not kept: there is no bound on them.
        if word in self._known_neighbours:
            return self._known_neighbours[word]
        vector = self._vector(word, embedded)
        if vector is None:
            return None
        nearest = self._nearest(self._vectors @ vector, stem(word))
        if word in self._rows:
            self._known_neighbours[word] = nearest
        return nearest

    def _vector(self, word: str, embedded: Mapping[str, Vectors]) -> Vectors | None:
        row = self._rows.get(word)
        return self._vectors[row] if row is not None else embedded.get(word)

    def _nearest(self, similarities: Vectors, own_stem: str) -> tuple[str, float] | None:
        # The few best rows are enough: the word itself and its inflections come first.
        rows = top_rows(similarities, 4)
        for row in rows:
            if similarities[row] < NEIGHBOUR_SIMILARITY:
                return None
            word = self._words[row]
            if stem(word) != own_stem:
                return word, float(similarities[row])
        return None


def merge_words(known: Iterable[str], texts: Iterable[str]) -> list[str]:
    """The words of `texts` not in `known`, sorted: what an ingest still has to embed."""
    seen = set(known)
    found: set[str] = set()
    for text in texts:
        found |= vocabulary_words(text)
    return sorted(found - seen)
