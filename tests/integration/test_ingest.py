"""Idempotent ingest into the real Chroma server."""

import asyncio
import shutil
import uuid
from pathlib import Path

import pytest

from baton_ingestion.pipeline import IngestReport, ingest_folder
from baton_ingestion.sources import folder_source
from baton_retrieval.embedder import Embedder
from baton_retrieval.store import Hit, KnowledgeStore
from tests.support.infra import infra
from tests.support.isolated import ROOT
from tests.support.pdf import text_pdf

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


def titled_pages(bot_id: str, folder: Path) -> dict[str, set[str]]:
    async def go() -> dict[str, set[str]]:
        store = await KnowledgeStore.connect(infra().chroma_host, infra().chroma_port)
        return await store.titles.entries(bot_id, folder_source(folder).origin)

    return asyncio.run(go())


def vocabulary(bot_id: str) -> set[str]:
    async def go() -> set[str]:
        store = await KnowledgeStore.connect(infra().chroma_host, infra().chroma_port)
        words, vectors = await store.vocabulary.load(bot_id)
        assert len(words) == len(vectors)
        return set(words)

    return asyncio.run(go())


def forget_vocabulary(bot_id: str) -> None:
    async def go() -> None:
        store = await KnowledgeStore.connect(infra().chroma_host, infra().chroma_port)
        await store.vocabulary.drop(bot_id)

    asyncio.run(go())


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
        titles = titled_pages(bot_id, folder)
        assert len(titles) == 10 and all(len(ids) == 1 for ids in titles.values())
        words = vocabulary(bot_id)
        assert {"webhook", "export"} <= words and "parquet" not in words

        again = ingest(folder, bot_id, embedder)
        assert (again.chunks_written, again.chunks_deleted, again.unchanged_pages) == (0, 0, 10)
        assert vocabulary(bot_id) == words
        # A bot ingested before vocabularies were kept gets every page's words on its next
        # ingest, though no page changed.
        forget_vocabulary(bot_id)
        assert vocabulary(bot_id) == set()
        assert ingest(folder, bot_id, embedder).unchanged_pages == 10
        assert vocabulary(bot_id) == words

        page = folder / "exporting-data.md"
        page.write_text(
            page.read_text()
            + "\n## Export to parquet\n\nParquet exports use **Settings > Export > Parquet** for zebra datasets.\n"
        )
        edited = ingest(folder, bot_id, embedder)
        assert edited.chunks_written >= 1 and edited.unchanged_pages == 9
        assert search(bot_id, embedder, "parquet zebra export")[0] == "exporting-data.md"
        assert vocabulary(bot_id) - words == {"parquet", "zebra", "datasets"}

        (folder / "api-and-webhooks.md").unlink()
        removed = ingest(folder, bot_id, embedder)
        assert removed.chunks_deleted > 0
        assert "api-and-webhooks.md" not in search(bot_id, embedder, "webhook retries and API keys")
        assert "api-and-webhooks.md" not in titled_pages(bot_id, folder)
        page.write_text(page.read_text().replace("# Exporting Data", "# Exporting your data", 1))
        ingest(folder, bot_id, embedder)
        retitled = titled_pages(bot_id, folder)
        assert len(retitled) == 9 and retitled["exporting-data.md"] != titles["exporting-data.md"]
    finally:
        drop(bot_id)


def test_malformed_files_get_a_per_file_error_and_the_rest_ingests(
    tmp_path: Path, embedder: Embedder
) -> None:
    folder = tmp_path / "kb"
    (folder / "guides").mkdir(parents=True)
    (folder / "good.md").write_text(
        "# Good page\n\nThe answer to everything is in **Settings > Answers**.\n"
    )
    (folder / "guides/page.html").write_text(
        "<html><head><title>Sync</title></head><body><main><h1>Calendar sync</h1>"
        "<h2 id='google'>Google</h2><p>Open <b>Settings &gt; Calendars</b> to link Google.</p>"
        "</main></body></html>"
    )
    (folder / "guides/notes.txt").write_text("Backups\n\nBackups run nightly at 02:00 UTC.\n")
    (folder / "guides/roles.rst").write_text(
        "Roles\n=====\n\nAssign roles\n------------\n\n"
        "Open :menuselection:`Administration --> Roles` to assign a role.\n"
    )
    (folder / "guides/manual.pdf").write_bytes(
        text_pdf([["Exporting quarterly reports", "Use Reports > Export > Quarterly."]])
    )
    (folder / "binary.md").write_bytes(b"\x00\x01\x02PNG\x00" * 100)
    (folder / "empty.md").write_text("")
    (folder / "latin1.md").write_bytes("caf\xe9".encode("latin-1"))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R")
    (folder / "scan.html").write_text("<html><body><nav>Home</nav></body></html>")
    big = folder / "huge.md"
    with big.open("wb") as out:
        out.truncate(50 * 1024 * 1024)
    (folder / ".git").mkdir()
    (folder / ".git/HEAD.md").write_text("# not a help page\n\nignored\n")
    bot_id = f"test-{uuid.uuid4().hex[:8]}"
    try:
        report = ingest(folder, bot_id, embedder)
        headings = {
            hit.source: hit.url
            for hit in asyncio.run(all_hits(bot_id))
            if hit.source.startswith("guides/")
        }
    finally:
        drop(bot_id)
    assert report.pages == 5
    assert set(report.errors) == {
        "binary.md",
        "empty.md",
        "latin1.md",
        "huge.md",
        "broken.pdf",
        "scan.html",
    }
    assert "binary" in report.errors["binary.md"]
    assert "empty" in report.errors["empty.md"]
    assert "MB" in report.errors["huge.md"]
    assert "broken PDF" in report.errors["broken.pdf"]
    assert "no text" in report.errors["scan.html"]
    assert headings == {
        "guides/page.html": "https://help.test/guides/page#google",
        "guides/notes.txt": "https://help.test/guides/notes",
        "guides/roles.rst": "https://help.test/guides/roles#assign-roles",
        "guides/manual.pdf": "https://help.test/guides/manual#page=1",
    }


async def all_hits(bot_id: str) -> list[Hit]:
    store = await KnowledgeStore.connect(infra().chroma_host, infra().chroma_port)
    return (await store.all_chunks(bot_id))[1]


def test_a_source_owns_only_its_pages_and_nothing_readable_prunes_nothing(
    tmp_path: Path, embedder: Embedder
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a.md").write_text("# Alpha\n\nAlpha pages talk about aardvarks.\n")
    (second / "b.md").write_text("# Beta\n\nBeta pages talk about badgers.\n")
    bot_id = f"test-{uuid.uuid4().hex[:8]}"
    try:
        ingest(first, bot_id, embedder)
        ingest(second, bot_id, embedder)
        assert {h.source for h in asyncio.run(all_hits(bot_id))} == {"a.md", "b.md"}
        (first / "a.md").write_bytes(b"\x00binary now")
        broken = ingest(first, bot_id, embedder)
        assert broken.pages == 0 and broken.chunks_deleted == 0  # kept, not emptied
        (first / "a.md").unlink()
        (first / "c.md").write_text("# Gamma\n\nGamma pages talk about geckos.\n")
        pruned = ingest(first, bot_id, embedder)
        assert pruned.chunks_deleted == 1
        assert {h.source for h in asyncio.run(all_hits(bot_id))} == {"b.md", "c.md"}
    finally:
        drop(bot_id)


def test_reading_a_dropped_bot_finds_nothing_and_creates_no_collection(
    tmp_path: Path, embedder: Embedder
) -> None:
    """What the agent and the ingest API read for a deleted bot (a late visitor message, a
    source listing) must not bring its collections back."""
    folder = tmp_path / "kb"
    shutil.copytree(ROOT / "demo/helpcenter", folder)
    bot_id = f"test-{uuid.uuid4().hex[:8]}"
    ingest(folder, bot_id, embedder)
    drop(bot_id)

    async def read() -> tuple[object, ...]:
        store = await KnowledgeStore.connect(infra().chroma_host, infra().chroma_port)
        vector = embedder.embed_one("How do I import contacts?")
        found = (
            await store.page_chunks(bot_id),
            await store.all_chunks(bot_id),
            await store.search_at_revision(bot_id, vector, 5),
            await store.titles.search(bot_id, vector, 5),
            await store.titles.entries(bot_id, folder_source(folder).origin),
            await store.revision(bot_id),
        )
        return (*found, await store.exists(bot_id), await store.titles.exists(bot_id))

    assert asyncio.run(read()) == ({}, ("", []), ("", []), [], {}, "", False, False)
    assert vocabulary(bot_id) == set()
