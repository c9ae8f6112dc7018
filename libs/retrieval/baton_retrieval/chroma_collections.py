"""A bot's Chroma collections, opened only when their vectors come from the expected model."""

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from chromadb.api import AsyncClientAPI
from chromadb.api.models.AsyncCollection import AsyncCollection
from chromadb.errors import NotFoundError

from baton_retrieval.embedding_models import MODEL_METADATA_KEY, EmbeddingModel, check_model

_Result = TypeVar("_Result")


async def open_collection(
    client: AsyncClientAPI, name: str, model: EmbeddingModel
) -> AsyncCollection:
    """For writes: created if missing, recording the model of the vectors it will hold."""
    # Cosine space: our vectors are normalised, and 1 - distance is a similarity in [0, 1].
    collection = await client.get_or_create_collection(
        name,
        metadata={"hnsw:space": "cosine", MODEL_METADATA_KEY: model.value},
        embedding_function=None,
    )
    check_model(collection.name, collection.metadata, model.value)
    return collection


async def find_collection(client: AsyncClientAPI, name: str) -> AsyncCollection | None:
    """The collection if it exists, whichever model it holds."""
    try:
        return await client.get_collection(name, embedding_function=None)
    except NotFoundError:
        return None


async def find_checked(
    client: AsyncClientAPI, name: str, model: EmbeddingModel
) -> AsyncCollection | None:
    """For reads: the collection if it exists (a read of a deleted bot must not create it
    again), refused if another model embedded it."""
    collection = await find_collection(client, name)
    if collection is not None:
        check_model(collection.name, collection.metadata, model.value)
    return collection


async def bump_revision(collection: AsyncCollection, model: EmbeddingModel) -> None:
    """A new revision, which readers keeping an in-memory copy (the BM25 index, the vectors)
    compare to know theirs is stale. Chroma refuses a metadata change that names the distance
    space, so only ours is set; a change replaces the whole metadata, so the model is named
    again."""
    await collection.modify(
        metadata={"revision": uuid.uuid4().hex, MODEL_METADATA_KEY: model.value}
    )


async def drop_collection(client: AsyncClientAPI, name: str) -> None:
    """Delete the collection; one already gone is no error (a drop is repeated on retry)."""
    try:
        await client.delete_collection(name)
    except Exception as exc:
        if "does not exist" not in str(exc).lower():
            raise


class ReadHandles:
    """Collections opened for reading, kept `ttl_seconds` (0: every read asks the server).

    A question reads two collections; asking the server for each one's handle first doubles
    its Chroma calls. A kept handle still reads the collection's current vectors (queries go
    by its id); what it may hold stale, for at most the TTL, is its metadata (the revision
    that tells the lexical index to reload) and its existence: a query through a handle whose
    collection was dropped fails with NotFoundError, and the caller `forget`s it and asks
    again.

    `max_concurrent`: reads in flight at once (None: unbounded). Past a handful, more
    concurrent requests only queue inside the Chroma server, while the HTTP client's pool,
    which checks every open connection on each request, grows with them: under load that
    bookkeeping took more CPU than the queries' own I/O."""

    def __init__(
        self,
        client: AsyncClientAPI,
        model: EmbeddingModel,
        ttl_seconds: float,
        max_concurrent: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._model = model
        self._ttl = ttl_seconds
        self._clock = clock
        self._kept: dict[str, tuple[float, AsyncCollection]] = {}
        self._opening: dict[str, asyncio.Lock] = {}
        self._slots = asyncio.Semaphore(max_concurrent) if max_concurrent else None

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._slots is None:
            yield
            return
        async with self._slots:
            yield

    async def existing(self, name: str) -> AsyncCollection | None:
        if self._ttl <= 0:
            return await find_checked(self._client, name, self._model)
        kept = self._fresh(name)
        if kept is not None:
            return kept
        # One lookup per expiry: under load every question in flight finds the handle expired
        # at the same moment, and each asking the server again cost the agent more CPU than
        # the answers' own Chroma reads.
        opening = self._opening.setdefault(name, asyncio.Lock())
        async with opening:
            kept = self._fresh(name)  # opened by the question ahead in the queue
            return kept if kept is not None else await self._open(name)

    def _fresh(self, name: str) -> AsyncCollection | None:
        kept = self._kept.get(name)
        if kept is not None and self._clock() - kept[0] < self._ttl:
            return kept[1]
        return None

    async def _open(self, name: str) -> AsyncCollection | None:
        now = self._clock()
        collection = await find_checked(self._client, name, self._model)
        if collection is None:
            self._kept.pop(name, None)
        else:
            self._kept[name] = (now, collection)
        return collection

    def forget(self, name: str) -> None:
        self._kept.pop(name, None)


async def query_existing(
    handles: ReadHandles, name: str, query: Callable[[AsyncCollection], Awaitable[_Result]]
) -> _Result | None:
    """`query` on the named collection, None if it does not exist; a kept handle whose
    collection was dropped (and perhaps created again) is forgotten and the read repeated."""
    for _ in range(2):
        collection = await handles.existing(name)
        if collection is None:
            return None
        try:
            async with handles.slot():
                return await query(collection)
        except NotFoundError:
            handles.forget(name)
    return None
