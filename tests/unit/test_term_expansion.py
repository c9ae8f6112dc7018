"""Vocabulary neighbours: a question's words reach the docs' own words of another stem."""

import math

import numpy as np

from baton_retrieval.embedder import Embedder
from baton_retrieval.hybrid import LexicalSnapshot
from baton_retrieval.lexical import stem
from baton_retrieval.store import Hit
from baton_retrieval.term_expansion import (
    NEIGHBOUR_SIMILARITY,
    TermNeighbours,
    merge_words,
    vocabulary_words,
)


def unit(angle_degrees: float) -> list[float]:
    """A 2-d unit vector: the cosine of two is the cosine of their angle's difference."""
    radians = math.radians(angle_degrees)
    return [math.cos(radians), math.sin(radians)]


# The angle whose cosine is the threshold: words nearer than this are one term.
LIMIT = math.degrees(math.acos(NEIGHBOUR_SIMILARITY))


def neighbours(words: dict[str, float], known: set[str] | None = None) -> TermNeighbours:
    vectors = np.array([unit(angle) for angle in words.values()], dtype=np.float32)
    stems = {stem(word) for word in (known if known is not None else words)}
    return TermNeighbours(list(words), vectors, known=stems.__contains__)


def test_the_nearest_word_of_another_stem_is_added_within_the_threshold() -> None:
    vocabulary = neighbours({"telephone": 0.0, "spreadsheet": 90.0, "invoice": 180.0})
    near = {"phone": np.array(unit(LIMIT * 0.5), dtype=np.float32)}
    assert vocabulary.unknown("my phone rings") == ["phone", "rings"]
    assert vocabulary.expand("my phone rings", near) == ["telephone"]


def test_the_word_itself_is_passed_over_for_its_nearest_other_word() -> None:
    vocabulary = neighbours({"telephone": 0.0, "phone": 1.0, "invoice": 180.0})
    assert vocabulary.unknown("my phone") == []
    assert vocabulary.expand("my phone", {}) == ["telephone"]


def test_a_word_beyond_the_threshold_adds_nothing() -> None:
    vocabulary = neighbours({"telephone": 0.0, "invoice": 180.0})
    far = {"phone": np.array(unit(LIMIT * 1.2), dtype=np.float32)}
    assert vocabulary.expand("phone", far) == []


def test_a_word_of_the_docs_uses_its_own_vector_and_needs_no_embedding() -> None:
    vocabulary = neighbours({"automatic": 0.0, "automatically": LIMIT * 0.3, "billing": 120.0})
    assert vocabulary.unknown("close tickets automatically") == ["close", "tickets"]
    assert vocabulary.expand("close tickets automatically", {}) == ["automatic"]


def test_words_the_question_already_has_are_not_added_twice() -> None:
    vocabulary = neighbours({"automatic": 0.0, "automatically": LIMIT * 0.3})
    assert vocabulary.expand("automatic or automatically", {}) == []


def test_words_of_removed_pages_are_never_offered() -> None:
    vocabulary = neighbours({"telephone": 0.0, "phone": LIMIT * 0.2}, known={"phone", "invoice"})
    assert len(vocabulary) == 1
    assert vocabulary.expand("phone", {}) == []


def test_an_empty_vocabulary_expands_nothing() -> None:
    vocabulary = TermNeighbours([], np.zeros((0, 0), dtype=np.float32), known=lambda _: True)
    assert vocabulary.unknown("anything") == ["anything"]
    assert vocabulary.expand("anything", {"anything": np.ones(2, dtype=np.float32)}) == []


def test_vocabulary_words_skip_function_words_short_words_and_ids() -> None:
    text = "How do I export a CSV? Set portalId or sAMAccountName, ab12, 0f3c9a8e7d6b5a4c3b2a."
    assert vocabulary_words(text) == {"export", "csv", "set"}
    assert merge_words({"csv"}, [text, "Export tickets"]) == ["export", "set", "tickets"]


def test_the_expanded_word_reaches_the_chunk_only_the_docs_word_names() -> None:
    """With a real model: the lexical side finds the chunk that never uses the visitor's word."""
    chunks = [
        Hit(
            "a",
            "Dial the telephone line of the agent on duty.",
            "Calls",
            "u",
            "calls.md",
            "",
            0.0,
            0,
        ),
        Hit("b", "Invoices are sent monthly.", "Billing", "u", "billing.md", "", 0.0, 0),
    ]
    embedder = Embedder()
    words = merge_words((), (f"{c.title} {c.text}" for c in chunks))
    snapshot = LexicalSnapshot.build("r1", chunks, (words, embedder.embed_words(words)))
    assert snapshot.neighbours is not None
    question = "which phone should I use"
    unknown = snapshot.neighbours.unknown(question)
    embedded = dict(zip(unknown, embedder.embed_words(unknown), strict=True))
    added = snapshot.neighbours.expand(question, embedded)
    assert added == ["telephone"]
    assert snapshot.search(question, 3) == []
    assert [hit.source for hit in snapshot.search(question, 3, added)] == ["calls.md"]


def test_a_docs_word_answers_the_same_every_time_and_a_visitors_word_is_never_kept() -> None:
    """Docs words' neighbours are kept per snapshot; a visitor's word is looked up each time
    from the vector given, so a word first seen near a docs word and later far is not stuck."""
    vocabulary = neighbours({"automatic": 0.0, "automatically": LIMIT * 0.3, "billing": 120.0})
    assert vocabulary.expand("automatically", {}) == ["automatic"]
    assert vocabulary.expand("automatically", {}) == ["automatic"]
    near = {"phone": np.array(unit(125.0), dtype=np.float32)}
    far = {"phone": np.array(unit(60.0), dtype=np.float32)}
    assert vocabulary.expand("phone", near) == ["billing"]
    assert vocabulary.expand("phone", far) == []
