"""The MongoDB stand-in keeps MongoDB's promise Baton relies on: an update of one document is
atomic, so two writers updating different fields of it at once both land (the inbox's Kafka
handler and a teammate's claim; the handoff's fold and its timer)."""

import asyncio
import uuid
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from tests.support.infra import infra

pytestmark = pytest.mark.integration
ROUNDS = 50


async def test_concurrent_updates_of_one_document_both_land() -> None:
    db_name = f"atomicity-{uuid.uuid4().hex[:8]}"
    # Two clients: two connections, as two services (or two requests) would have.
    first: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra().mongo_url)
    second: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(infra().mongo_url)
    try:
        docs, other = first[db_name]["docs"], second[db_name]["docs"]
        lost = 0
        for _ in range(ROUNDS):
            doc_id = uuid.uuid4().hex
            await docs.insert_one({"_id": doc_id, "a": 0, "b": 0})
            await asyncio.gather(
                docs.update_one({"_id": doc_id}, {"$set": {"a": 1}}),
                other.find_one_and_update({"_id": doc_id}, {"$set": {"b": 1}}),
            )
            stored = await docs.find_one({"_id": doc_id})
            lost += stored is None or (stored["a"], stored["b"]) != (1, 1)
        assert lost == 0, f"{lost} of {ROUNDS} documents lost one of two concurrent updates"
    finally:
        await first.drop_database(db_name)
        await first.close()
        await second.close()
