"""Chroma (server mode) as the chunk store: one collection per bot, our own embeddings."""

from dataclasses import dataclass
from typing import Any

import chromadb
import numpy as np
import numpy.typing as npt
from chromadb.api import AsyncClientAPI
from chromadb.api.models.AsyncCollection import AsyncCollection
from chromadb.api.types import GetResult
from chromadb.config import Settings as ChromaSettings

from baton_retrieval.chroma_collections import (
    ReadHandles,
    bump_revision,
    drop_collection,
    find_checked,
    find_collection,
    open_collection,
    query_existing,
)
from baton_retrieval.chunks import Chunk
from baton_retrieval.embedding_models import EmbeddingModel
from baton_retrieval.page_titles import PageTitles
from baton_retrieval.vocabulary_store import VocabularyStore


@dataclass(frozen=True)
class Hit:
    chunk_id: str
    text: str
    title: str
    url: str
    source: str
    heading: str
    similarity: float
    position: int = 0

    def with_similarity(self, similarity: float) -> "Hit":
        # dataclasses.replace looks the fields up on every call: at 50 hits a question it
        # cost ~1 ms of the question's Python time (cProfile).
        return Hit(
            self.chunk_id,
            self.text,
            self.title,
            self.url,
            self.source,
            self.heading,
            similarity,
            self.position,
        )


def collection_name(bot_id: str) -> str:
    return f"bot-{bot_id}"


def _revision(collection: AsyncCollection | None) -> str:
    metadata = collection.metadata if collection is not None else None
    return str((metadata or {}).get("revision", ""))


def _hit(chunk_id: str, text: str | None, meta: Any, similarity: float) -> Hit:
    meta = meta or {}
    return Hit(
        chunk_id=chunk_id,
        text=text or "",
        title=str(meta.get("title", "")),
        url=str(meta.get("url", "")),
        source=str(meta.get("source", "")),
        heading=str(meta.get("heading", "")),
        similarity=similarity,
        position=int(meta.get("position", 0)),
    )


def _stored_hits(found: GetResult) -> list[Hit]:
    """The chunks of a collection `get` (similarity 0: no question was asked)."""
    documents = found["documents"] or []
    metadatas = found["metadatas"] or []
    return [
        _hit(chunk_id, text, meta, 0.0)
        for chunk_id, text, meta in zip(found["ids"], documents, metadatas, strict=True)
    ]


class KnowledgeStore:
    """`embedding_model`: the model of the vectors this process writes and queries with; a
    bot's collections recorded with another model are refused (EmbeddingModelMismatch).
    `read_cache_seconds`: how long the searches keep a collection's handle, and
    `max_concurrent_reads` how many searches run at once (`ReadHandles`); the defaults (for
    writers and tools) ask the server every time, unbounded."""

    def __init__(
        self,
        client: AsyncClientAPI,
        embedding_model: EmbeddingModel = EmbeddingModel.MINILM,
        read_cache_seconds: float = 0.0,
        max_concurrent_reads: int | None = None,
    ) -> None:
        self._client = client
        self.embedding_model = embedding_model
        self._reads = ReadHandles(client, embedding_model, read_cache_seconds, max_concurrent_reads)
        self.titles = PageTitles(client, embedding_model, self._reads)
        self.vocabulary = VocabularyStore(client, embedding_model)

    @classmethod
    async def connect(
        cls,
        host: str,
        port: int,
        embedding_model: EmbeddingModel = EmbeddingModel.MINILM,
        read_cache_seconds: float = 0.0,
        max_concurrent_reads: int | None = None,
    ) -> "KnowledgeStore":
        settings = ChromaSettings(anonymized_telemetry=False)
        client = await chromadb.AsyncHttpClient(host=host, port=port, settings=settings)
        await client.heartbeat()
        return cls(client, embedding_model, read_cache_seconds, max_concurrent_reads)

    async def heartbeat(self) -> None:
        await self._client.heartbeat()

    @property
    def client(self) -> AsyncClientAPI:
        """The Chroma client, for maintenance across a bot's collections (reembed.py)."""
        return self._client

    async def bot_ids(self) -> list[str]:
        """Every bot with a chunk collection on the server, whichever model embedded it."""
        names = [c.name for c in await self._client.list_collections()]
        suffixes = ("-titles", "-words", "-reembed")
        return sorted(
            name.removeprefix("bot-")
            for name in names
            if name.startswith("bot-") and not name.endswith(suffixes)
        )

    async def _collection(self, bot_id: str) -> AsyncCollection:
        return await open_collection(self._client, collection_name(bot_id), self.embedding_model)

    async def _existing(self, bot_id: str) -> AsyncCollection | None:
        """The bot's collection if it exists. Reads use this, not `_collection`: a read of a
        deleted bot (a listing, a late visitor message) must not create it again."""
        return await find_checked(self._client, collection_name(bot_id), self.embedding_model)

    async def exists(self, bot_id: str) -> bool:
        """Whether the bot has knowledge, whichever model embedded it."""
        return await find_collection(self._client, collection_name(bot_id)) is not None

    async def page_chunks(self, bot_id: str) -> dict[tuple[str, str], set[str]]:
        """Chunk ids of every page of the bot, keyed by (origin, source).

        Chunks written before origins existed have origin "": any ingest claims them.
        """
        collection = await self._existing(bot_id)
        if collection is None:
            return {}
        found = await collection.get(include=["metadatas"])
        pages: dict[tuple[str, str], set[str]] = {}
        for chunk_id, meta in zip(found["ids"], found["metadatas"] or [], strict=True):
            meta = meta or {}
            key = (str(meta.get("origin", "")), str(meta.get("source", "")))
            pages.setdefault(key, set()).add(chunk_id)
        return pages

    async def upsert(
        self, bot_id: str, chunks: list[Chunk], vectors: npt.NDArray[np.float32]
    ) -> None:
        if not chunks:
            return
        collection = await self._collection(bot_id)
        await collection.upsert(
            ids=[chunk.chunk_id for chunk in chunks],
            embeddings=vectors,
            documents=[chunk.text for chunk in chunks],
            metadatas=[chunk.metadata() for chunk in chunks],
        )
        await self._bump_revision(collection)

    async def delete(self, bot_id: str, chunk_ids: list[str]) -> None:
        if chunk_ids:
            collection = await self._collection(bot_id)
            await collection.delete(ids=chunk_ids)
            await self._bump_revision(collection)

    async def _bump_revision(self, collection: AsyncCollection) -> None:
        await bump_revision(collection, self.embedding_model)

    async def revision(self, bot_id: str) -> str:
        collection = await self._existing(bot_id)
        return _revision(collection)

    async def all_chunks(self, bot_id: str) -> tuple[str, list[Hit]]:
        """Every chunk of the bot (similarity 0) and the revision they belong to."""
        collection = await self._existing(bot_id)
        if collection is None:
            return "", []
        found = await collection.get(include=["documents", "metadatas"])
        return _revision(collection), _stored_hits(found)

    async def chunks_with_vectors(
        self, bot_id: str
    ) -> tuple[str, list[Hit], npt.NDArray[np.float32]]:
        """Every chunk of the bot with its vector (one row each), and their revision."""
        collection = await self._existing(bot_id)
        if collection is None:
            return "", [], np.zeros((0, 0), dtype=np.float32)
        revision = _revision(collection)
        found = await collection.get(include=["documents", "metadatas", "embeddings"])
        hits = _stored_hits(found)
        embeddings = found["embeddings"]
        if embeddings is None or not hits:
            return revision, [], np.zeros((0, 0), dtype=np.float32)
        return revision, hits, np.asarray(embeddings, dtype=np.float32)

    async def kept_revision(self, bot_id: str) -> str:
        """The revision as the kept read handle knows it: at most the handles' TTL old, and
        no request to Chroma while the handle is kept. "" for a bot without knowledge."""
        collection = await self._reads.existing(collection_name(bot_id))
        return _revision(collection)

    async def search(self, bot_id: str, vector: npt.NDArray[np.float32], limit: int) -> list[Hit]:
        _, hits = await self.search_at_revision(bot_id, vector, limit)
        return hits

    async def search_at_revision(
        self, bot_id: str, vector: npt.NDArray[np.float32], limit: int
    ) -> tuple[str, list[Hit]]:
        """Nearest chunks, and the revision of the collection they were read from."""

        async def query(collection: AsyncCollection) -> tuple[str, Any]:
            found = await collection.query(
                query_embeddings=[vector.tolist()],
                n_results=limit,
                include=["documents", "metadatas", "distances"],
            )
            return _revision(collection), found

        read = await query_existing(self._reads, collection_name(bot_id), query)
        if read is None:
            return "", []
        revision, result = read
        return revision, [
            _hit(chunk_id, text, meta, max(0.0, 1.0 - float(distance)))
            for chunk_id, text, meta, distance in zip(
                result["ids"][0],
                result["documents"][0],
                result["metadatas"][0],
                result["distances"][0],
                strict=True,
            )
        ]

    async def drop_bot(self, bot_id: str) -> None:
        await self.titles.drop(bot_id)
        await self.vocabulary.drop(bot_id)
        await drop_collection(self._client, collection_name(bot_id))
