"""Make a bot's copy of one knowledge source equal to the pages just read, writing only changes.

Chunk ids hash origin, page and content: an unchanged page writes nothing, an edited page has
its old chunks replaced, and a page gone from the source has its chunks deleted.
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import structlog

from baton_ingestion.sources import Page, Progress
from baton_retrieval.chunks import Chunk, chunk_document
from baton_retrieval.embedder import Embedder
from baton_retrieval.page_titles import title_entry_id
from baton_retrieval.store import KnowledgeStore
from baton_retrieval.term_expansion import merge_words

log = structlog.get_logger()
ProgressCallback = Callable[[Progress], None]


@dataclass
class IngestReport:
    pages: int = 0
    chunks_written: int = 0
    chunks_deleted: int = 0
    unchanged_pages: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    # Pages a crawl left alone: robots.txt disallows them, or they lie off the site.
    skipped: list[str] = field(default_factory=list)


async def _add_words(
    store: KnowledgeStore,
    embedder: Embedder,
    bot_id: str,
    known: set[str],
    chunks: list[Chunk],
) -> None:
    """Embed the words these chunks bring to the bot's vocabulary (term_expansion.py)."""
    words = merge_words(known, (chunk.embed_text for chunk in chunks))
    if words:
        vectors = await asyncio.to_thread(embedder.embed_words, words)
        await store.vocabulary.add(bot_id, words, vectors)
        known.update(words)


def ignore_progress(_: Progress) -> None:
    return None


async def sync_source(
    store: KnowledgeStore,
    embedder: Embedder,
    bot_id: str,
    origin: str,
    pages: AsyncIterator[Page],
    *,
    total: Callable[[], int | None] = lambda: None,
    on_progress: ProgressCallback = ignore_progress,
    report: IngestReport | None = None,
) -> IngestReport:
    report = report or IngestReport()
    stored = await store.page_chunks(bot_id)
    titled = await store.titles.entries(bot_id, origin)
    known_words = await store.vocabulary.words(bot_id)
    mine = {source: ids for (owner, source), ids in stored.items() if owner == origin}
    # Chunks from before origins were recorded: whichever source is ingested first claims them.
    legacy = {source: ids for (owner, source), ids in stored.items() if owner == ""}
    present: set[str] = set()
    done = 0
    async for page in pages:
        done += 1
        if not page.gone:
            present.add(page.source)
        existing = mine.get(page.source, set()) | legacy.pop(page.source, set())
        if page.document is None:
            report.errors[page.source] = page.error or "unreadable"
            on_progress(Progress(done, total(), page.source))
            continue
        chunks = chunk_document(page.document, source=page.source, url=page.url, origin=origin)
        wanted = {chunk.chunk_id: chunk for chunk in chunks}
        new = [chunk for chunk_id, chunk in wanted.items() if chunk_id not in existing]
        stale = sorted(existing - wanted.keys())
        title = page.document.title
        title_id = title_entry_id(origin, page.source, title)
        old_titles = titled.get(page.source, set())
        title_new = bool(chunks) and title_id not in old_titles
        # Every page's words, changed or not: a bot ingested before vocabularies were kept gets
        # all of its words on its next ingest. Before the chunks: a chunk stored before its
        # words would be searched without them.
        await _add_words(store, embedder, bot_id, known_words, chunks)
        if new or title_new:
            # One batch: the title rides along with the page's new chunks.
            texts = [c.embed_text for c in new] + ([title] if title_new else [])
            vectors = await asyncio.to_thread(embedder.embed, texts)
            if new:
                await store.upsert(bot_id, new, vectors[: len(new)])
                report.chunks_written += len(new)
            if title_new:
                entry = (title_id, origin, page.source, title)
                await store.titles.upsert(bot_id, [entry], vectors[len(new) :])
        if stale:
            await store.delete(bot_id, stale)
            report.chunks_deleted += len(stale)
        await store.titles.delete(bot_id, sorted(old_titles - ({title_id} if chunks else set())))
        if not new and not stale:
            report.unchanged_pages += 1
        report.pages += 1
        on_progress(Progress(done, total(), page.source))
    if report.pages == 0 and report.errors:
        # Nothing could be read (a site down, a folder of broken files): keep what the bot has
        # rather than empty it.
        log.warning("ingest_nothing_read", origin=origin, errors=len(report.errors))
        return report
    gone = [ids for source, ids in mine.items() if source not in present]
    gone += list(legacy.values())
    stale_ids = sorted(chunk_id for ids in gone for chunk_id in ids)
    await store.delete(bot_id, stale_ids)
    report.chunks_deleted += len(stale_ids)
    gone_titles = [i for source, ids in titled.items() if source not in present for i in ids]
    await store.titles.delete(bot_id, sorted(gone_titles))
    return report
