"""`baton reembed --bot BOT` (or `--all`): a bot's knowledge embedded again by the model this
installation uses (BATON_EMBEDDING_MODEL), from what Chroma holds; no source is read again.

One JSON line per bot on stdout: the bot, the model, the collections rebuilt and the vectors
written (0 and 0 when the bot was on the model already).
"""

import argparse
import asyncio
import json
import sys

from baton_cli.settings import CliSettings
from baton_retrieval.embedder import Embedder
from baton_retrieval.embedding_models import EmbeddingModel
from baton_retrieval.reembed import reembed_bot
from baton_retrieval.store import KnowledgeStore


async def reembed(bot_ids: list[str], every_bot: bool) -> list[dict[str, object]]:
    settings = CliSettings()
    model = EmbeddingModel(settings.embedding_model)
    store = await KnowledgeStore.connect(settings.chroma_host, settings.chroma_port, model)
    embedder = Embedder(model, models_dir=settings.models_dir, threads=2)
    targets = await store.bot_ids() if every_bot else bot_ids
    lines: list[dict[str, object]] = []
    for bot_id in targets:
        report = await reembed_bot(store.client, bot_id, embedder)
        lines.append(
            {
                "bot": bot_id,
                "model": model.value,
                "collections": report.collections,
                "entries": report.entries,
            }
        )
    return lines


def _run(args: argparse.Namespace) -> int:
    for line in asyncio.run(reembed(args.bot or [], args.all)):
        sys.stdout.write(json.dumps(line) + "\n")
    return 0


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    command = commands.add_parser(
        "reembed", help="embed bots' knowledge again with BATON_EMBEDDING_MODEL (after changing it)"
    )
    which = command.add_mutually_exclusive_group(required=True)
    which.add_argument("--bot", action="append", help="bot id (repeatable)")
    which.add_argument("--all", action="store_true", help="every bot on the Chroma server")
    command.set_defaults(run=_run)
