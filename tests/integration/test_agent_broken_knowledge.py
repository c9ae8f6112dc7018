"""A message the agent can never answer is handed to a teammate after a few attempts: the
visitor hears so, and the threads behind it keep getting answers.

The broken case is real: a bot whose Chroma collections were written by another embedding
model (bge-small) than the agent's (MiniLM), which the store refuses to read
(EmbeddingModelMismatch). Before the hand-over, the agent retried such a message every second
for ever."""

import asyncio

import numpy as np
import pytest

from baton_agent.answer_failures import FAILED_TEXT
from baton_retrieval.chunks import Document, Section, chunk_document
from baton_retrieval.embedding_models import EmbeddingModel
from baton_retrieval.store import KnowledgeStore
from tests.integration.conftest import DEMO_ORIGIN, Seeded, seed_account
from tests.integration.test_escalations import ai_messages, thread, wait_for
from tests.support.infra import Infra, infra
from tests.support.widget import Visitor

pytestmark = pytest.mark.integration


async def _knowledge_from_another_model(bot_id: str, servers: Infra) -> None:
    store = await KnowledgeStore.connect(
        servers.chroma_host, servers.chroma_port, EmbeddingModel.BGE_SMALL
    )
    page = Document("Import", [Section(("Import",), "", "Import contacts from a CSV file.")])
    chunks = chunk_document(page, source="import.md", url="https://help.broken.test/import")
    vectors = np.ones((len(chunks), 384), dtype=np.float32) / np.sqrt(384)
    await store.upsert(bot_id, chunks, vectors)


def test_a_message_that_cannot_be_answered_is_handed_over_and_its_partition_moves_on(
    seeded: Seeded,
) -> None:
    broken = seed_account(seeded.system, "broken", DEMO_ORIGIN)
    asyncio.run(_knowledge_from_another_model(broken.bot_id, infra()))

    stuck = Visitor.open(broken.gateway, DEMO_ORIGIN, broken.bot_key, name="Broken Bot")
    assert stuck.send("How do I import my contacts?").status_code == 202
    reply = wait_for(lambda: ai_messages(stuck), timeout=30)[0]
    assert reply["text"].startswith(FAILED_TEXT)
    flagged = wait_for(
        lambda: (t := thread(broken, stuck.thread_id)) and t.get("needs_human") and t
    )
    assert flagged["escalation_reason"] == "unresolved"

    # Threads of the healthy bot are answered from the docs as before.
    healthy = Visitor.open(seeded.gateway, DEMO_ORIGIN, seeded.bot_key, name="Healthy Bot")
    assert healthy.send("How do I import my contacts?").status_code == 202
    answer = wait_for(lambda: ai_messages(healthy), timeout=30)[0]
    assert answer["sources"] and "import" in answer["text"].lower()
    # The broken thread got its one hand-over, not one per attempt.
    assert len(ai_messages(stuck)) == 1
