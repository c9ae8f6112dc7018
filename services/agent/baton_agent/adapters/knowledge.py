"""Retrieval for the agent: embed the question in-process, search the bot's Chroma collection."""

import asyncio

from baton_retrieval.embedder import Embedder
from baton_retrieval.store import Hit, KnowledgeStore


class Retriever:
    def __init__(self, store: KnowledgeStore, embedder: Embedder) -> None:
        self._store = store
        self._embedder = embedder

    async def search(self, bot_id: str, question: str, limit: int) -> list[Hit]:
        # The ONNX run is CPU work: off the event loop, so Kafka heartbeats keep flowing.
        vector = await asyncio.to_thread(self._embedder.embed_one, question)
        return await self._store.search(bot_id, vector, limit)
