"""Ingest a folder of Markdown pages into a bot's collection, idempotently.

Chunk ids hash source and content: an unchanged page writes nothing, an edited page has its
old chunks replaced, and a page gone from the folder has its chunks deleted.
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from baton_retrieval.chunks import Chunk, chunk_markdown
from baton_retrieval.embedder import Embedder
from baton_retrieval.store import KnowledgeStore

MAX_FILE_BYTES = 5 * 1024 * 1024
MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass
class IngestReport:
    pages: int = 0
    chunks_written: int = 0
    chunks_deleted: int = 0
    unchanged_pages: int = 0
    errors: dict[str, str] = field(default_factory=dict)


def page_url(base_url: str, source: str) -> str:
    slug = source.rsplit(".", 1)[0]
    return f"{base_url.rstrip('/')}/{slug}"


def list_pages(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise FileNotFoundError(f"not a folder: {folder}")
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in MARKDOWN_SUFFIXES)


def read_page(path: Path) -> str:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ValueError(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise ValueError("binary content, not text")
    text = raw.decode("utf-8")
    if not text.strip():
        raise ValueError("empty file")
    return text


async def ingest_folder(
    store: KnowledgeStore,
    embedder: Embedder,
    bot_id: str,
    folder: Path,
    base_url: str,
    on_progress: Callable[[str], None] = lambda _: None,
) -> IngestReport:
    report = IngestReport()
    present: set[str] = set()
    for path in await asyncio.to_thread(list_pages, folder):
        source = path.relative_to(folder).as_posix()
        present.add(source)
        try:
            text = await asyncio.to_thread(read_page, path)
        except (ValueError, UnicodeDecodeError, OSError) as exc:
            report.errors[source] = str(exc)
            continue
        chunks = chunk_markdown(text, source=source, url=page_url(base_url, source))
        await _sync_page(store, embedder, bot_id, source, chunks, report)
        report.pages += 1
        on_progress(source)
    for gone in await store.sources(bot_id) - present:
        stale = await store.existing_ids(bot_id, gone)
        await store.delete(bot_id, sorted(stale))
        report.chunks_deleted += len(stale)
    return report


async def _sync_page(
    store: KnowledgeStore,
    embedder: Embedder,
    bot_id: str,
    source: str,
    chunks: list[Chunk],
    report: IngestReport,
) -> None:
    existing = await store.existing_ids(bot_id, source)
    wanted = {chunk.chunk_id: chunk for chunk in chunks}
    new = [chunk for chunk_id, chunk in wanted.items() if chunk_id not in existing]
    stale = sorted(existing - wanted.keys())
    if not new and not stale:
        report.unchanged_pages += 1
        return
    if new:
        vectors = await asyncio.to_thread(embedder.embed, [c.embed_text for c in new])
        await store.upsert(bot_id, new, vectors)
        report.chunks_written += len(new)
    await store.delete(bot_id, stale)
    report.chunks_deleted += len(stale)
