"""Ingest one knowledge source into a bot: a folder, uploaded files, a URL, a sitemap, a site.

Each entry point reads the source's pages and hands them to `sync_source`, which writes only
what changed and prunes pages the source no longer has.
"""

from dataclasses import dataclass
from pathlib import Path

from baton_ingestion.folder import folder_pages
from baton_ingestion.sources import KnowledgeSource, SourceKind, folder_source
from baton_ingestion.sync import IngestReport, ProgressCallback, ignore_progress, sync_source
from baton_ingestion.web.crawl import CrawlState, crawl_pages, read_urls, sitemap_urls
from baton_ingestion.web.fetch import PoliteClient
from baton_retrieval.embedder import Embedder
from baton_retrieval.store import KnowledgeStore

__all__ = [
    "IngestReport",
    "WebOptions",
    "ingest_folder",
    "ingest_source",
    "ingest_web",
]

DEFAULT_MAX_PAGES = 500


@dataclass(frozen=True)
class WebOptions:
    max_pages: int = DEFAULT_MAX_PAGES
    concurrency: int = 4  # requests at once to the site
    allow_private_urls: bool = False  # fetch from loopback and private networks too


async def ingest_folder(
    store: KnowledgeStore,
    embedder: Embedder,
    bot_id: str,
    folder: Path,
    base_url: str,
    on_progress: ProgressCallback = ignore_progress,
    *,
    source: KnowledgeSource | None = None,
) -> IngestReport:
    """A folder's pages; `source` names it otherwise (uploads land in a temporary folder)."""
    source = source or folder_source(folder)
    count, pages = await folder_pages(folder, base_url)
    return await sync_source(
        store, embedder, bot_id, source.origin, pages, total=lambda: count, on_progress=on_progress
    )


async def ingest_web(
    store: KnowledgeStore,
    embedder: Embedder,
    bot_id: str,
    source: KnowledgeSource,
    options: WebOptions | None = None,
    on_progress: ProgressCallback = ignore_progress,
) -> IngestReport:
    options = options or WebOptions()
    client = PoliteClient(
        concurrency=options.concurrency, allow_private_urls=options.allow_private_urls
    )
    state = CrawlState(max_pages=options.max_pages if source.kind is not SourceKind.URL else 1)
    report = IngestReport()
    try:
        if source.kind is SourceKind.CRAWL:
            pages = crawl_pages(client, source.location, state, concurrency=options.concurrency)
        elif source.kind is SourceKind.SITEMAP:
            urls = await sitemap_urls(client, source.location, state)
            pages = read_urls(client, urls, state, concurrency=options.concurrency)
        elif source.kind is SourceKind.URL:
            pages = read_urls(client, [source.location], state)
        else:
            raise ValueError(f"not a web source: {source.kind}")
        await sync_source(
            store,
            embedder,
            bot_id,
            source.origin,
            pages,
            total=state.total,
            on_progress=on_progress,
            report=report,
        )
    finally:
        await client.aclose()
    report.skipped = state.skipped
    return report


async def ingest_source(
    store: KnowledgeStore,
    embedder: Embedder,
    bot_id: str,
    source: KnowledgeSource,
    *,
    base_url: str = "",
    options: WebOptions | None = None,
    on_progress: ProgressCallback = ignore_progress,
    upload_folder: Path | None = None,
) -> IngestReport:
    """`upload_folder` holds an upload source's files (its location is only a name)."""
    if source.kind is SourceKind.FOLDER:
        folder = Path(source.location)
    elif source.kind is SourceKind.UPLOAD:
        if upload_folder is None:
            raise ValueError("an upload source needs the folder its files were written to")
        folder = upload_folder
    else:
        return await ingest_web(store, embedder, bot_id, source, options, on_progress)
    return await ingest_folder(
        store, embedder, bot_id, folder, base_url, on_progress, source=source
    )
