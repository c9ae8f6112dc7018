"""The agent keeps a bot's Chroma collection handles for a while (one call per question
instead of two per collection): what it keeps must never hide new vectors, and a collection
dropped or created again under it must be read fresh, not fail the question."""

import uuid

import numpy as np
import pytest

from baton_retrieval.chunks import Chunk
from baton_retrieval.store import KnowledgeStore
from tests.support.infra import infra

pytestmark = pytest.mark.integration
DIMENSIONS = 384


def _vector(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vector = rng.standard_normal(DIMENSIONS).astype(np.float32)
    return vector / np.linalg.norm(vector)


def _chunk(name: str) -> Chunk:
    return Chunk(
        chunk_id=name,
        text=f"text of {name}",
        title=name,
        url=f"https://docs.example/{name}",
        source=f"{name}.md",
        heading="",
        anchor="",
        origin="upload",
    )


async def _stores() -> tuple[KnowledgeStore, KnowledgeStore]:
    """A writer (ingest: no kept handles) and a reader that keeps them for an hour."""
    host, port = infra().chroma_host, infra().chroma_port
    writer = await KnowledgeStore.connect(host, port)
    reader = await KnowledgeStore.connect(host, port, read_cache_seconds=3600)
    return writer, reader


async def test_a_kept_handle_reads_vectors_written_after_it_was_opened() -> None:
    bot = f"handles-{uuid.uuid4().hex[:8]}"
    writer, reader = await _stores()
    try:
        await writer.upsert(bot, [_chunk("first")], np.stack([_vector(1)]))
        assert [hit.chunk_id for hit in await reader.search(bot, _vector(2), 5)] == ["first"]
        await writer.upsert(bot, [_chunk("second")], np.stack([_vector(2)]))
        hits = await reader.search(bot, _vector(2), 5)
        assert [hit.chunk_id for hit in hits] == ["second", "first"]
    finally:
        await writer.drop_bot(bot)


async def test_a_dropped_collection_is_read_fresh_not_through_the_kept_handle() -> None:
    bot = f"handles-{uuid.uuid4().hex[:8]}"
    writer, reader = await _stores()
    try:
        await writer.upsert(bot, [_chunk("old")], np.stack([_vector(1)]))
        assert [hit.chunk_id for hit in await reader.search(bot, _vector(1), 5)] == ["old"]
        await writer.drop_bot(bot)
        assert await reader.search(bot, _vector(1), 5) == []
        await writer.upsert(bot, [_chunk("new")], np.stack([_vector(3)]))
        assert [hit.chunk_id for hit in await reader.search(bot, _vector(3), 5)] == ["new"]
    finally:
        await writer.drop_bot(bot)
