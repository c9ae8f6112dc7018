"""A bot's vocabulary as vectors: a third Chroma collection per bot, one entry per word.

The ingest embeds each word once, when a page first uses it, so the agent loads the whole
vocabulary with one read instead of embedding thousands of words when a bot's index moves
(term_expansion.py). A word whose pages are gone stays; the agent ignores words the lexical
index no longer holds.
"""

import numpy as np
import numpy.typing as npt
from chromadb.api import AsyncClientAPI
from chromadb.api.models.AsyncCollection import AsyncCollection

from baton_retrieval.chroma_collections import drop_collection, find_checked, open_collection
from baton_retrieval.embedding_models import EmbeddingModel

# Chroma bounds one request's size; the vocabulary of a large help center is tens of thousands.
_WRITE_BATCH = 1000


def words_collection_name(bot_id: str) -> str:
    return f"bot-{bot_id}-words"


class VocabularyStore:
    def __init__(
        self, client: AsyncClientAPI, embedding_model: EmbeddingModel = EmbeddingModel.MINILM
    ) -> None:
        self._client = client
        self._model = embedding_model

    async def _collection(self, bot_id: str) -> AsyncCollection:
        return await open_collection(self._client, words_collection_name(bot_id), self._model)

    async def words(self, bot_id: str) -> set[str]:
        """The words that have a vector."""
        collection = await find_checked(self._client, words_collection_name(bot_id), self._model)
        if collection is None:
            return set()
        found = await collection.get(include=[])
        return set(found["ids"])

    async def add(self, bot_id: str, words: list[str], vectors: npt.NDArray[np.float32]) -> None:
        if not words:
            return
        collection = await self._collection(bot_id)
        for start in range(0, len(words), _WRITE_BATCH):
            end = start + _WRITE_BATCH
            await collection.upsert(ids=words[start:end], embeddings=vectors[start:end])

    async def load(self, bot_id: str) -> tuple[list[str], npt.NDArray[np.float32]]:
        """Every word and its vector; none for a bot ingested before vocabularies were kept."""
        collection = await find_checked(self._client, words_collection_name(bot_id), self._model)
        if collection is None:
            return [], np.zeros((0, 0), dtype=np.float32)
        found = await collection.get(include=["embeddings"])
        embeddings = found["embeddings"]
        if embeddings is None or len(found["ids"]) == 0:
            return [], np.zeros((0, 0), dtype=np.float32)
        return list(found["ids"]), np.asarray(embeddings, dtype=np.float32)

    async def drop(self, bot_id: str) -> None:
        await drop_collection(self._client, words_collection_name(bot_id))
