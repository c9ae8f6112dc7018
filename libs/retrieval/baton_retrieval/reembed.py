"""A bot's knowledge embedded again by another model, from what Chroma holds: no source needed.

Chroma keeps every chunk's text with its page title and heading, every page title and every word
of the vocabulary, which is all the embedding reads. Each collection is rebuilt beside the old
one and then takes its name, so a reader finds the old collection (which a process on the new
model refuses, and hands its visitors to a teammate) or the whole new one, never a mix of two
models' vectors. The chunk collection goes last with a new revision, which makes the agents
reload the bot. A collection already on the model is left alone, so a second run does nothing.
"""

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from chromadb.api import AsyncClientAPI
from chromadb.api.models.AsyncCollection import AsyncCollection

from baton_retrieval.chroma_collections import (
    bump_revision,
    drop_collection,
    find_collection,
    open_collection,
)
from baton_retrieval.chunks import embed_text
from baton_retrieval.embedder import Embedder
from baton_retrieval.embedding_models import recorded_model
from baton_retrieval.page_titles import titles_collection_name
from baton_retrieval.store import collection_name
from baton_retrieval.vocabulary_store import words_collection_name

# A rebuild in progress, named after the collection it replaces.
REBUILD_SUFFIX = "-reembed"
_WRITE_BATCH = 1000


@dataclass
class ReembedReport:
    collections: int = 0  # rebuilt with the new model
    entries: int = 0  # vectors written (chunks, titles, words)


def _chunk_text(document: str | None, metadata: Mapping[str, Any] | None) -> str:
    meta = metadata or {}
    return embed_text(str(meta.get("title", "")), str(meta.get("heading", "")), document or "")


async def _rebuild(
    client: AsyncClientAPI, name: str, kind: str, embedder: Embedder, report: ReembedReport
) -> None:
    old = await find_collection(client, name)
    rebuilt_name = name + REBUILD_SUFFIX
    if old is None:
        # A run cut short between dropping the old collection and renaming the new one.
        leftover = await find_collection(client, rebuilt_name)
        if leftover is not None and recorded_model(leftover.metadata) == embedder.model.value:
            await _take_name(leftover, name, embedder)
            report.collections += 1
        return
    if recorded_model(old.metadata) == embedder.model.value:
        return
    found = await old.get(include=["documents", "metadatas"])
    ids = list(found["ids"])
    stored_documents = found["documents"]
    stored_metadatas = found["metadatas"]
    documents: list[str | None] = list(stored_documents) if stored_documents else [None] * len(ids)
    metadatas: list[Mapping[str, Any] | None] = (
        list(stored_metadatas) if stored_metadatas else [None] * len(ids)
    )
    if kind == "words":
        # Words were embedded alone (embed_words), and are stored as ids only.
        vectors = await asyncio.to_thread(embedder.embed_words, ids)
    elif kind == "titles":
        vectors = await asyncio.to_thread(embedder.embed, [d or "" for d in documents])
    else:
        texts = [_chunk_text(d, m) for d, m in zip(documents, metadatas, strict=True)]
        vectors = await asyncio.to_thread(embedder.embed, texts)
    await drop_collection(client, rebuilt_name)  # what a run cut short left
    rebuilt = await open_collection(client, rebuilt_name, embedder.model)
    for start in range(0, len(ids), _WRITE_BATCH):
        end = start + _WRITE_BATCH
        batch: np.ndarray[Any, Any] = vectors[start:end]
        if kind == "words":
            await rebuilt.upsert(ids=ids[start:end], embeddings=batch)
        else:
            await rebuilt.upsert(
                ids=ids[start:end],
                embeddings=batch,
                documents=[d or "" for d in documents[start:end]],
                metadatas=[dict(m or {}) for m in metadatas[start:end]],
            )
    await client.delete_collection(name)
    await _take_name(rebuilt, name, embedder)
    report.collections += 1
    report.entries += len(ids)


async def _take_name(rebuilt: AsyncCollection, name: str, embedder: Embedder) -> None:
    await rebuilt.modify(name=name)
    await bump_revision(rebuilt, embedder.model)  # readers reload the bot


async def reembed_bot(client: AsyncClientAPI, bot_id: str, embedder: Embedder) -> ReembedReport:
    """Every collection of the bot not on `embedder`'s model, embedded again with it."""
    report = ReembedReport()
    await _rebuild(client, words_collection_name(bot_id), "words", embedder, report)
    await _rebuild(client, titles_collection_name(bot_id), "titles", embedder, report)
    await _rebuild(client, collection_name(bot_id), "chunks", embedder, report)
    return report
