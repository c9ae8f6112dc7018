"""A bot's Chroma collections, opened only when their vectors come from the expected model."""

from chromadb.api import AsyncClientAPI
from chromadb.api.models.AsyncCollection import AsyncCollection
from chromadb.errors import NotFoundError

from baton_retrieval.embedding_models import MODEL_METADATA_KEY, EmbeddingModel, check_model


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
