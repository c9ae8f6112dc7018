"""The in-memory dense ranking: exact cosine over a bot's chunk and title vectors."""

import numpy as np
import numpy.typing as npt
import pytest

from baton_retrieval.dense_snapshot import DenseSnapshot
from baton_retrieval.store import Hit


def hit(chunk_id: str, source: str) -> Hit:
    return Hit(chunk_id, f"text {chunk_id}", "Title", "u", source, "", 0.0)


def unit(*values: float) -> npt.NDArray[np.float32]:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


CHUNKS = [hit("a", "a.md"), hit("b", "b.md"), hit("c", "c.md"), hit("d", "d.md")]
VECTORS = np.stack([unit(1, 0), unit(1, 1), unit(0, 1), unit(-1, 0)])
SNAPSHOT = DenseSnapshot.build(
    CHUNKS, VECTORS, ["a.md", "c.md"], np.stack([unit(1, 0), unit(0, 1)])
)


def test_the_nearest_chunks_come_best_first_with_their_cosine() -> None:
    found = SNAPSHOT.nearest(unit(1, 0.2), 3)
    assert [h.chunk_id for h in found] == ["a", "b", "c"]
    assert found[0].similarity == pytest.approx(float(unit(1, 0) @ unit(1, 0.2)))
    assert found[0].text == "text a" and found[0].source == "a.md"


def test_a_limit_above_the_chunk_count_returns_every_chunk_and_no_negative_similarity() -> None:
    found = SNAPSHOT.nearest(unit(1, 0), 10)
    assert [h.chunk_id for h in found] == ["a", "b", "c", "d"]
    assert found[-1].similarity == 0.0  # cosine -1, clipped as Chroma's 1 - distance was


def test_equal_similarities_keep_the_stored_order() -> None:
    twins = DenseSnapshot.build(
        [hit("x", "x.md"), hit("y", "y.md")],
        np.stack([unit(1, 0), unit(1, 0)]),
        [],
        np.zeros((0, 2), dtype=np.float32),
    )
    assert [h.chunk_id for h in twins.nearest(unit(1, 0), 1)] == ["x"]


def test_titles_rank_pages_by_their_title_vector() -> None:
    assert SNAPSHOT.title_ranking(unit(0.1, 1), 5) == ["c.md", "a.md"]
    assert SNAPSHOT.title_ranking(unit(1, 0.1), 1) == ["a.md"]


def test_a_bot_without_knowledge_finds_nothing() -> None:
    empty = DenseSnapshot.build(
        [], np.zeros((0, 0), dtype=np.float32), [], np.zeros((0, 0), dtype=np.float32)
    )
    assert empty.nearest(unit(1, 0), 5) == []
    assert empty.title_ranking(unit(1, 0), 5) == []
    assert empty.topic_ranking(unit(1, 0), 5) == []


def test_vectors_must_match_the_chunks_one_to_one() -> None:
    with pytest.raises(ValueError, match="one vector per chunk"):
        DenseSnapshot.build(CHUNKS, VECTORS[:2], [], np.zeros((0, 2), dtype=np.float32))


def test_a_page_about_the_question_throughout_ranks_above_a_hub_with_one_close_passage() -> None:
    # hub.md: one passage right on the question, two far off; feature.md: every passage near it.
    chunks = [
        hit("h1", "hub.md"),
        hit("h2", "hub.md"),
        hit("h3", "hub.md"),
        hit("f1", "feature.md"),
        hit("f2", "feature.md"),
    ]
    vectors = np.stack([unit(1, 0), unit(0, 1), unit(-1, 1), unit(1, 0.3), unit(1, -0.2)])
    snapshot = DenseSnapshot.build(chunks, vectors, [], np.zeros((0, 2), dtype=np.float32))
    question = unit(1, 0)
    assert snapshot.nearest(question, 1)[0].source == "hub.md"
    assert snapshot.topic_ranking(question, 5) == ["feature.md", "hub.md"]
    assert snapshot.topic_ranking(question, 1) == ["feature.md"]


def test_a_page_whose_passages_cancel_out_gets_a_zero_topic_not_nan() -> None:
    chunks = [hit("x1", "x.md"), hit("x2", "x.md"), hit("y1", "y.md")]
    vectors = np.stack([unit(1, 0), unit(-1, 0), unit(-1, -1)])
    snapshot = DenseSnapshot.build(chunks, vectors, [], np.zeros((0, 2), dtype=np.float32))
    assert snapshot.topic_ranking(unit(1, 0), 5) == ["x.md", "y.md"]
    assert snapshot.topic_vectors.shape == (2, 2)
    assert not np.isnan(snapshot.topic_vectors).any()
