"""Idempotent ingest into the real Chroma server."""

import asyncio
import shutil
import uuid
from pathlib import Path

import pytest

from baton_ingest.pipeline import IngestReport, ingest_folder
from baton_retrieval.embedder import Embedder
from baton_retrieval.store import KnowledgeStore
from tests.support.infra import infra
from tests.support.isolated import ROOT

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def ingest(folder: Path, bot_id: str, embedder: Embedder) -> IngestReport:
    async def go() -> IngestReport:
        store = await KnowledgeStore.connect(infra().chroma_host, infra().chroma_port)
        return await ingest_folder(store, embedder, bot_id, folder, "https://help.test")

    return asyncio.run(go())


def search(bot_id: str, embedder: Embedder, question: str) -> list[str]:
    async def go() -> list[str]:
        store = await KnowledgeStore.connect(infra().chroma_host, infra().chroma_port)
        return [h.source for h in await store.search(bot_id, embedder.embed_one(question), 5)]

    return asyncio.run(go())


def drop(bot_id: str) -> None:
    async def go() -> None:
        store = await KnowledgeStore.connect(infra().chroma_host, infra().chroma_port)
        await store.drop_bot(bot_id)

    asyncio.run(go())


def test_reingest_is_idempotent_and_tracks_edits_and_deletions(
    tmp_path: Path, embedder: Embedder
) -> None:
    folder = tmp_path / "kb"
    shutil.copytree(ROOT / "demo/helpcenter", folder)
    bot_id = f"test-{uuid.uuid4().hex[:8]}"
    try:
        first = ingest(folder, bot_id, embedder)
        assert first.pages == 10 and first.chunks_written > 10 and not first.errors

        again = ingest(folder, bot_id, embedder)
        assert (again.chunks_written, again.chunks_deleted, again.unchanged_pages) == (0, 0, 10)

        page = folder / "exporting-data.md"
        page.write_text(
            page.read_text()
            + "\n## Export to parquet\n\nParquet exports use **Settings > Export > Parquet** for zebra datasets.\n"
        )
        edited = ingest(folder, bot_id, embedder)
        assert edited.chunks_written >= 1 and edited.unchanged_pages == 9
        assert search(bot_id, embedder, "parquet zebra export")[0] == "exporting-data.md"

        (folder / "api-and-webhooks.md").unlink()
        removed = ingest(folder, bot_id, embedder)
        assert removed.chunks_deleted > 0
        assert "api-and-webhooks.md" not in search(bot_id, embedder, "webhook retries and API keys")
    finally:
        drop(bot_id)


def test_malformed_files_get_a_per_file_error_and_the_rest_ingests(
    tmp_path: Path, embedder: Embedder
) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "good.md").write_text(
        "# Good page\n\nThe answer to everything is in **Settings > Answers**.\n"
    )
    (folder / "binary.md").write_bytes(b"\x00\x01\x02PNG\x00" * 100)
    (folder / "empty.md").write_text("")
    (folder / "latin1.md").write_bytes("caf\xe9".encode("latin-1"))
    big = folder / "huge.md"
    with big.open("wb") as out:
        out.truncate(50 * 1024 * 1024)
    bot_id = f"test-{uuid.uuid4().hex[:8]}"
    try:
        report = ingest(folder, bot_id, embedder)
    finally:
        drop(bot_id)
    assert report.pages == 1
    assert set(report.errors) == {"binary.md", "empty.md", "latin1.md", "huge.md"}
    assert "binary" in report.errors["binary.md"]
    assert "empty" in report.errors["empty.md"]
    assert "MB" in report.errors["huge.md"]
