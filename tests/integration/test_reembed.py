"""`baton reembed`: a bot's knowledge embedded again by another model, on the real Chroma,
from what Chroma holds; readers on the new model read it, readers on the old one are refused."""

import asyncio
import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from baton_answering.answerer import Answerer
from baton_answering.retriever import Retriever
from baton_answering.settings import AnsweringSettings
from baton_ingestion.pipeline import ingest_folder
from baton_retrieval.chunks import embed_text
from baton_retrieval.embedder import Embedder
from baton_retrieval.embedding_models import EmbeddingModel, EmbeddingModelMismatch
from baton_retrieval.reembed import REBUILD_SUFFIX, reembed_bot
from baton_retrieval.store import KnowledgeStore
from tests.support.infra import infra
from tests.support.isolated import ROOT

pytestmark = pytest.mark.integration

PAGES = {
    "import.md": "# Import contacts\n\nGo to Contacts > Import and upload a CSV file. Map each "
    "column to a field, then click Import.\n",
    "export.md": "# Export deals\n\nOpen Deals, choose the columns and click Export to "
    "download a spreadsheet of the deals shown.\n",
}


async def _store(model: EmbeddingModel) -> KnowledgeStore:
    return await KnowledgeStore.connect(infra().chroma_host, infra().chroma_port, model)


def test_reembed_moves_every_collection_to_the_new_model_and_answers_from_it(
    tmp_path: Path, bot_id: str
) -> None:
    for name, text in PAGES.items():
        (tmp_path / name).write_text(text)
    minilm, bge = Embedder(EmbeddingModel.MINILM), Embedder(EmbeddingModel.BGE_SMALL)

    async def go() -> None:
        old = await _store(EmbeddingModel.MINILM)
        await ingest_folder(old, minilm, bot_id, tmp_path, "https://help.test")
        revision_before, chunks_before, _ = await old.chunks_with_vectors(bot_id)
        new = await _store(EmbeddingModel.BGE_SMALL)
        with pytest.raises(EmbeddingModelMismatch):
            await new.chunks_with_vectors(bot_id)

        report = await reembed_bot(new.client, bot_id, bge)
        assert report.collections == 3  # chunks, titles, words
        revision, chunks, vectors = await new.chunks_with_vectors(bot_id)
        assert revision != revision_before
        assert sorted(c.chunk_id for c in chunks) == sorted(c.chunk_id for c in chunks_before)
        expected = bge.embed([embed_text(c.title, c.heading, c.text) for c in chunks])
        # The same vectors up to the int8 model's batch noise (rows are unit length).
        assert np.min(np.sum(vectors * expected, axis=1)) > 0.99
        sources, title_vectors = await new.titles.with_vectors(bot_id)
        assert sorted(sources) == ["export.md", "import.md"] and title_vectors.shape[1] == 384
        words, word_vectors = await new.vocabulary.load(bot_id)
        assert "csv" in words
        assert float(word_vectors[words.index("csv")] @ bge.embed_words(["csv"])[0]) > 0.99
        with pytest.raises(EmbeddingModelMismatch):
            await old.chunks_with_vectors(bot_id)  # the old model's readers are refused

        again = await reembed_bot(new.client, bot_id, bge)
        assert (again.collections, again.entries) == (0, 0)
        # A run cut short after dropping the old chunk collection, before the rename: the
        # next run gives the rebuilt collection its name.
        chunks_collection = await new.client.get_collection(f"bot-{bot_id}")
        await chunks_collection.modify(name=f"bot-{bot_id}{REBUILD_SUFFIX}")
        resumed = await reembed_bot(new.client, bot_id, bge)
        assert (resumed.collections, resumed.entries) == (1, 0)
        assert len((await new.chunks_with_vectors(bot_id))[1]) == len(chunks)
        answer = await Answerer(Retriever(new, bge), AnsweringSettings().answering_config()).answer(
            bot_id, "How do I import my contacts from a CSV file?"
        )
        assert not answer.escalate and answer.source_paths[0] == "import.md"

    asyncio.run(go())


def test_the_command_names_what_it_rebuilt(tmp_path: Path, bot_id: str) -> None:
    (tmp_path / "import.md").write_text(PAGES["import.md"])

    async def ingest() -> None:
        await ingest_folder(
            await _store(EmbeddingModel.MINILM),
            Embedder(EmbeddingModel.MINILM),
            bot_id,
            tmp_path,
            "https://help.test",
        )

    asyncio.run(ingest())
    env = {
        **os.environ,
        "BATON_CHROMA_HOST": infra().chroma_host,
        "BATON_CHROMA_PORT": str(infra().chroma_port),
        "BATON_EMBEDDING_MODEL": EmbeddingModel.BGE_SMALL.value,
    }
    out = subprocess.run(
        [str(ROOT / ".venv/bin/baton"), "reembed", "--bot", bot_id],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    line = json.loads(out.stdout.strip().splitlines()[-1])
    assert line["bot"] == bot_id and line["model"] == "bge-small"
    assert line["collections"] == 3 and line["entries"] > 0
