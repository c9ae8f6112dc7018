"""`baton-ingest --bot BOT_ID FOLDER --base-url URL`: load a folder of help pages into a bot."""

import argparse
import asyncio
import dataclasses
import json
import sys
from pathlib import Path

from baton_ingest.settings import FolderCliSettings
from baton_ingestion.pipeline import IngestReport, ingest_folder
from baton_ingestion.sources import Progress
from baton_retrieval.embedder import Embedder
from baton_retrieval.store import KnowledgeStore


def _print_progress(progress: Progress) -> None:
    sys.stderr.write(f"ingested {progress.source}\n")


async def run(bot_id: str, folder: Path, base_url: str) -> IngestReport:
    settings = FolderCliSettings()
    store = await KnowledgeStore.connect(settings.chroma_host, settings.chroma_port)
    return await ingest_folder(
        store,
        Embedder(),
        bot_id,
        folder,
        base_url,
        on_progress=_print_progress,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="baton-ingest", description=__doc__)
    parser.add_argument("--bot", required=True, help="bot id")
    parser.add_argument("--base-url", required=True, help="public URL the pages live under")
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"folder: {args.folder} is not a folder")
    if not args.base_url.startswith(("http://", "https://")):
        parser.error("--base-url: must start with http:// or https://")
    report = asyncio.run(run(args.bot, args.folder, args.base_url))
    sys.stdout.write(json.dumps(dataclasses.asdict(report)) + "\n")
    if report.errors:
        sys.exit(1 if report.pages == 0 else 0)


if __name__ == "__main__":
    main()
