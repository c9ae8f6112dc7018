"""A help center written in MDX ingests into the real Chroma and answers from its pages."""

import asyncio
import shutil
import uuid
from pathlib import Path

import pytest

from baton_answering.answerer import Answerer
from baton_answering.retriever import Retriever
from baton_answering.settings import AnsweringSettings
from baton_ingestion.pipeline import ingest_folder
from baton_retrieval.embedder import Embedder
from baton_retrieval.store import KnowledgeStore
from tests.support.infra import infra
from tests.support.isolated import ROOT

pytestmark = pytest.mark.integration

FIXTURES = ROOT / "tests/unit/fixtures/mdx"


def test_a_folder_of_mdx_pages_ingests_and_answers(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(FIXTURES, folder)
    bot_id = f"test-mdx-{uuid.uuid4().hex[:8]}"
    embedder = Embedder()

    async def go() -> None:
        store = await KnowledgeStore.connect(infra().chroma_host, infra().chroma_port)
        try:
            report = await ingest_folder(store, embedder, bot_id, folder, "https://help.test")
            assert not report.errors
            assert report.pages == 3 and report.chunks_written >= 3
            answerer = Answerer(Retriever(store, embedder), AnsweringSettings().answering_config())
            answer = await answerer.answer(bot_id, "How do I add a stage to my pipeline?")
            assert not answer.escalate
            assert answer.source_paths[0] == "mintlify.mdx"
            assert "Add stage" in answer.text
            assert "<Step" not in answer.text
        finally:
            await store.drop_bot(bot_id)

    asyncio.run(go())
