"""Page titles as vectors: a second Chroma collection per bot, one entry per page.

A page's title says what the whole page is about, which a passage often does not; ranking
pages by the question's similarity to their titles, fused into the chunk ranking as one more
reciprocal-rank list, puts the page named for the topic first (docs/quality.md).
"""

import hashlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from chromadb.api import AsyncClientAPI
from chromadb.api.models.AsyncCollection import AsyncCollection
from chromadb.api.types import QueryResult

from baton_retrieval.chroma_collections import (
    ReadHandles,
    drop_collection,
    find_checked,
    open_collection,
    query_existing,
)
from baton_retrieval.embedding_models import EmbeddingModel

TITLE_INDEX_VERSION = "1"


def titles_collection_name(bot_id: str) -> str:
    return f"bot-{bot_id}-titles"


def title_entry_id(origin: str, source: str, title: str) -> str:
    key = f"{TITLE_INDEX_VERSION}\n{origin}\n{source}\n{title}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class TitleMatch:
    source: str
    similarity: float


class PageTitles:
    def __init__(
        self,
        client: AsyncClientAPI,
        embedding_model: EmbeddingModel = EmbeddingModel.MINILM,
        reads: ReadHandles | None = None,
    ) -> None:
        """`reads`: the chunk store's, so both collections share its kept handles and its
        bound on reads in flight."""
        self._client = client
        self._model = embedding_model
        self._reads = reads or ReadHandles(client, embedding_model, ttl_seconds=0.0)

    async def _collection(self, bot_id: str) -> AsyncCollection:
        return await open_collection(self._client, titles_collection_name(bot_id), self._model)

    async def _existing(self, bot_id: str) -> AsyncCollection | None:
        """The collection if it exists: reading a deleted bot must not create it again."""
        return await find_checked(self._client, titles_collection_name(bot_id), self._model)

    async def exists(self, bot_id: str) -> bool:
        return await self._existing(bot_id) is not None

    async def entries(self, bot_id: str, origin: str) -> dict[str, set[str]]:
        """Entry ids per page source of one origin."""
        collection = await self._existing(bot_id)
        if collection is None:
            return {}
        found = await collection.get(where={"origin": origin}, include=["metadatas"])
        pages: dict[str, set[str]] = {}
        for entry_id, meta in zip(found["ids"], found["metadatas"] or [], strict=True):
            pages.setdefault(str((meta or {}).get("source", "")), set()).add(entry_id)
        return pages

    async def upsert(
        self,
        bot_id: str,
        entries: list[tuple[str, str, str, str]],
        vectors: npt.NDArray[np.float32],
    ) -> None:
        """`entries`: (entry id, origin, source, title), one vector each."""
        if not entries:
            return
        collection = await self._collection(bot_id)
        await collection.upsert(
            ids=[entry[0] for entry in entries],
            embeddings=vectors,
            documents=[entry[3] for entry in entries],
            metadatas=[{"origin": e[1], "source": e[2], "title": e[3]} for e in entries],
        )

    async def delete(self, bot_id: str, entry_ids: list[str]) -> None:
        if entry_ids:
            collection = await self._collection(bot_id)
            await collection.delete(ids=entry_ids)

    async def delete_origin(self, bot_id: str, origin: str) -> None:
        collection = await self._collection(bot_id)
        await collection.delete(where={"origin": origin})

    async def with_vectors(self, bot_id: str) -> tuple[list[str], npt.NDArray[np.float32]]:
        """The page source of every title and the title's vector (one row each)."""
        collection = await self._existing(bot_id)
        if collection is None:
            return [], np.zeros((0, 0), dtype=np.float32)
        found = await collection.get(include=["metadatas", "embeddings"])
        embeddings = found["embeddings"]
        if embeddings is None or len(found["ids"]) == 0:
            return [], np.zeros((0, 0), dtype=np.float32)
        sources = [str((meta or {}).get("source", "")) for meta in found["metadatas"] or []]
        return sources, np.asarray(embeddings, dtype=np.float32)

    async def search(
        self, bot_id: str, vector: npt.NDArray[np.float32], limit: int
    ) -> list[TitleMatch]:

        async def query(collection: AsyncCollection) -> QueryResult:
            # Chroma answers fewer than n_results (none for an empty collection) by itself.
            return await collection.query(
                query_embeddings=[vector.tolist()],
                n_results=limit,
                include=["metadatas", "distances"],
            )

        result = await query_existing(self._reads, titles_collection_name(bot_id), query)
        if result is None:
            return []
        metadatas = (result["metadatas"] or [[]])[0]
        distances = (result["distances"] or [[]])[0]
        return [
            TitleMatch(str((meta or {}).get("source", "")), max(0.0, 1.0 - float(distance)))
            for meta, distance in zip(metadatas, distances, strict=True)
        ]

    async def drop(self, bot_id: str) -> None:
        await drop_collection(self._client, titles_collection_name(bot_id))
