"""`baton ingest --bot BOT PATH_OR_URL`: load a folder, a page, a sitemap or a site into a bot.

A progress bar goes to stderr; the report (pages, chunks written and deleted, per-page errors,
pages robots.txt kept out) is the one JSON line on stdout. By default the command reads the
source itself and writes to Chroma; `--server URL` hands it to a running ingest service.
"""

import argparse
import asyncio
import dataclasses
import json
import sys
from pathlib import Path
from typing import TextIO

from baton_cli.ingest_remote import RemoteIngestError, ingest_remote
from baton_cli.settings import CliSettings
from baton_ingestion.pipeline import IngestReport, WebOptions, ingest_source
from baton_ingestion.sources import KnowledgeSource, Progress, SourceKind, folder_source
from baton_ingestion.web.fetch import FetchError
from baton_retrieval.embedder import Embedder
from baton_retrieval.embedding_models import EmbeddingModel
from baton_retrieval.store import KnowledgeStore

BAR_WIDTH = 30


class ProgressBar:
    """`[#######-------]  12/119 pages  guide/import.md`, redrawn in place."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._drawn = False

    def __call__(self, progress: Progress) -> None:
        total = progress.total or 0
        share = min(1.0, progress.done / total) if total else 0.0
        filled = int(share * BAR_WIDTH)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        count = f"{progress.done:>4}/{total}" if total else f"{progress.done:>4}/?"
        self._out.write(f"\r[{bar}] {count} pages  {progress.source[-50:]:<50}")
        self._out.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self._out.write("\n")


def source_for(target: str, *, crawl: bool, sitemap: bool) -> KnowledgeSource:
    if target.startswith(("http://", "https://")):
        if sitemap or target.split("?", 1)[0].endswith((".xml", ".xml.gz")):
            return KnowledgeSource(SourceKind.SITEMAP, target)
        return KnowledgeSource(SourceKind.CRAWL if crawl else SourceKind.URL, target)
    return folder_source(Path(target))


async def ingest(
    bot_id: str, source: KnowledgeSource, base_url: str, options: WebOptions
) -> IngestReport:
    settings = CliSettings()
    # The same guard as the ingest service: public addresses only unless allowed.
    options = dataclasses.replace(options, allow_private_urls=settings.ingest_allow_private_urls)
    store = await KnowledgeStore.connect(
        settings.chroma_host, settings.chroma_port, EmbeddingModel(settings.embedding_model)
    )
    bar = ProgressBar(sys.stderr)
    try:
        return await ingest_source(
            store,
            Embedder(
                EmbeddingModel(settings.embedding_model), models_dir=settings.models_dir, threads=2
            ),
            bot_id,
            source,
            base_url=base_url,
            options=options,
            on_progress=bar,
        )
    finally:
        bar.close()


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    command = commands.add_parser("ingest", help="load help pages into a bot")
    command.add_argument("--bot", required=True, help="bot id")
    command.add_argument(
        "--base-url",
        default="https://help.example.com",
        help="public URL a folder's pages live under",
    )
    command.add_argument("--crawl", action="store_true", help="follow links from the URL")
    command.add_argument("--sitemap", action="store_true", help="the URL is a sitemap")
    command.add_argument("--max-pages", type=int, default=500, help="page limit of a crawl")
    command.add_argument("--concurrency", type=int, default=4, help="requests at once")
    command.add_argument(
        "--server",
        metavar="URL",
        help="run the job on this ingest service (sends BATON_INGEST_API_TOKEN); a folder "
        "is then a path on that server",
    )
    command.add_argument("target", metavar="PATH_OR_URL", help="folder, page, sitemap or site")
    command.set_defaults(run=run)


def check(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    target = str(args.target)
    is_url = target.startswith(("http://", "https://"))
    if args.server is not None:
        if not is_url and not Path(target).is_absolute():
            parser.error("PATH_OR_URL: with --server, a folder is an absolute path on the server")
    elif not is_url and not Path(target).is_dir():
        parser.error(f"PATH_OR_URL: {target} is neither a folder nor an http(s) URL")
    if not str(args.base_url).startswith(("http://", "https://")):
        parser.error("--base-url: must start with http:// or https://")
    if args.max_pages < 1 or args.concurrency < 1:
        parser.error("--max-pages and --concurrency must be at least 1")


def _on_server(
    args: argparse.Namespace, source: KnowledgeSource, options: WebOptions
) -> IngestReport:
    token = CliSettings().ingest_api_token
    bar = ProgressBar(sys.stderr)
    try:
        return ingest_remote(
            args.server,
            token.get_secret_value() if token else None,
            args.bot,
            source,
            args.base_url,
            options,
            bar,
        )
    finally:
        bar.close()


def run(args: argparse.Namespace) -> int:
    source = source_for(str(args.target), crawl=args.crawl, sitemap=args.sitemap)
    options = WebOptions(max_pages=args.max_pages, concurrency=args.concurrency)
    try:
        if args.server is None:
            report = asyncio.run(ingest(args.bot, source, args.base_url, options))
        else:
            report = _on_server(args, source, options)
    except (RemoteIngestError, FetchError) as exc:
        # FetchError: a sitemap that cannot be read (refused, unreachable) leaves no pages.
        sys.stderr.write(f"baton ingest: {exc}\n")
        return 1
    sys.stdout.write(json.dumps(dataclasses.asdict(report)) + "\n")
    return 1 if report.errors and report.pages == 0 else 0
