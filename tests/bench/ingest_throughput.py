"""Benchmark: ingest throughput (chunks/s) and peak memory of one folder into a fresh bot.

Uses the running Chroma; the bot is dropped afterwards. Prints one JSON line.
`python -m tests.bench.ingest_throughput [FOLDER]` (default: ../shared/kb/espocrm)
"""

import asyncio
import json
import resource
import sys
import time
import uuid
from pathlib import Path

from baton_ingestion.folder import folder_pages
from baton_ingestion.pipeline import ingest_folder
from baton_retrieval.chunks import chunk_document
from baton_retrieval.embedder import Embedder
from baton_retrieval.store import KnowledgeStore
from tests.support.infra import infra
from tests.support.isolated import ROOT

DEFAULT_FOLDER = ROOT.parent / "shared/kb/espocrm"


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


async def parse_only(folder: Path) -> tuple[int, float]:
    """Reading and chunking alone, to tell it apart from embedding and Chroma writes."""
    started = time.perf_counter()
    _, pages = await folder_pages(folder, "https://docs.example.invalid")
    chunks = 0
    async for page in pages:
        if page.document is not None:
            chunks += len(chunk_document(page.document, source=page.source, url=page.url))
    return chunks, time.perf_counter() - started


async def run(folder: Path) -> dict[str, object]:
    baseline_mb = peak_rss_mb()
    embedder = Embedder(threads=2)
    model_mb = peak_rss_mb()
    chunks, parse_seconds = await parse_only(folder)
    store = await KnowledgeStore.connect(infra().chroma_host, infra().chroma_port)
    bot_id = f"bench-{uuid.uuid4().hex[:8]}"
    try:
        started = time.perf_counter()
        report = await ingest_folder(
            store, embedder, bot_id, folder, "https://docs.example.invalid"
        )
        seconds = time.perf_counter() - started
        again_started = time.perf_counter()
        again = await ingest_folder(store, embedder, bot_id, folder, "https://docs.example.invalid")
        again_seconds = time.perf_counter() - again_started
    finally:
        await store.drop_bot(bot_id)
    return {
        "folder": str(folder),
        "pages": report.pages,
        "chunks": report.chunks_written,
        "seconds": round(seconds, 1),
        "chunks_per_second": round(report.chunks_written / seconds, 1),
        "parse_and_chunk_seconds": round(parse_seconds, 2),
        "parsed_chunks": chunks,
        "unchanged_reingest_seconds": round(again_seconds, 2),
        "unchanged_reingest_written": again.chunks_written,
        "peak_rss_mb": peak_rss_mb(),
        "rss_before_model_mb": baseline_mb,
        "rss_with_model_mb": model_mb,
    }


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_FOLDER
    sys.stdout.write(json.dumps(asyncio.run(run(folder))) + "\n")


if __name__ == "__main__":
    main()
