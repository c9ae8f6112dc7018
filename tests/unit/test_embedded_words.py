"""Visitors' out-of-vocabulary words are embedded once per process, within a bound."""

import numpy as np
import numpy.typing as npt

from baton_answering.embedded_words import EmbeddedWords


class CountingEmbedder:
    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed(self, words: list[str]) -> npt.NDArray[np.float32]:
        self.embedded.extend(words)
        return np.array([[float(len(word)), float(ord(word[0]))] for word in words], np.float32)


async def test_a_word_is_embedded_once_and_its_vector_comes_back() -> None:
    model = CountingEmbedder()
    words = EmbeddedWords(model.embed)
    first = await words.vectors(["dissapear", "fone"])
    again = await words.vectors(["fone", "dissapear", "fone"])
    assert model.embedded == ["dissapear", "fone"]
    assert set(again) == {"dissapear", "fone"}
    assert np.array_equal(again["fone"], first["fone"])
    assert again["fone"].tolist() == [4.0, float(ord("f"))]


async def test_the_least_recently_asked_word_leaves_past_the_bound() -> None:
    model = CountingEmbedder()
    words = EmbeddedWords(model.embed, capacity=2)
    await words.vectors(["alpha"])
    await words.vectors(["beta"])
    await words.vectors(["alpha"])  # alpha is now the most recent
    await words.vectors(["gamma"])
    model.embedded.clear()
    await words.vectors(["alpha", "beta"])
    assert model.embedded == ["beta"]
