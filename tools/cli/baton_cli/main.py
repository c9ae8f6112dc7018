"""`baton ask`, `baton eval`, `baton reliability`, `baton calibrate`, `baton ingest` and
`baton reembed`."""

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from pathlib import Path

from baton_answering.answer import Answer
from baton_answering.answerer import Answerer
from baton_answering.retriever import Retriever
from baton_cli import ingest_cmd, reembed_cmd
from baton_cli.calibration import (
    NotEnoughAnswers,
    answer_points,
    fit_curve,
    markdown_sets,
    recalibrated,
    set_report,
)
from baton_cli.evaluate import run_eval
from baton_cli.reliability import markdown_table, read_rows, reliability
from baton_cli.scoring import Row
from baton_cli.settings import CliSettings
from baton_retrieval.embedder import Embedder
from baton_retrieval.embedding_models import EmbeddingModel
from baton_retrieval.store import KnowledgeStore
from baton_runtime.logging import configure_logging


def answer_json(answer: Answer) -> dict[str, object]:
    return {
        "answer": answer.text,
        "sources": [{"title": s.title, "url": s.url} for s in answer.sources],
        "confidence": answer.confidence,
        "escalate": answer.escalate,
        "reason": answer.reason.value if answer.reason else None,
    }


async def ask(bot_id: str, question: str) -> Answer:
    settings = CliSettings()
    store = await KnowledgeStore.connect(
        settings.chroma_host, settings.chroma_port, EmbeddingModel(settings.embedding_model)
    )
    return await Answerer(
        Retriever(
            store,
            Embedder(EmbeddingModel(settings.embedding_model), models_dir=settings.models_dir),
        ),
        settings.answering_config(),
    ).answer(bot_id, question)


def _ask(args: argparse.Namespace) -> int:
    answer = asyncio.run(ask(args.bot, args.question))
    if args.json:
        sys.stdout.write(json.dumps(answer_json(answer)) + "\n")
    else:
        links = "".join(f"\n  - {s.title}: {s.url}" for s in answer.sources)
        sys.stdout.write(answer.text + (f"\n\nSources:{links}" if links else "") + "\n")
    return 0


def _eval(args: argparse.Namespace) -> int:
    summary = run_eval(args.kb, args.questions, args.out, bot_id=args.bot)
    sys.stdout.write(json.dumps(summary) + "\n")
    return 0


def _result_sets(args: argparse.Namespace) -> dict[str, list[Row]] | None:
    """Each `--results` file joined with its `--questions` file, by the results' file name;
    None after saying which argument is wrong."""
    if len(args.questions) != len(args.results):
        sys.stderr.write("give one --results file for each --questions file\n")
        return None
    sets: dict[str, list[Row]] = {}
    for questions, results in zip(args.questions, args.results, strict=True):
        for flag, path in (("--questions", questions), ("--results", results)):
            if not path.is_file():
                sys.stderr.write(f"{flag}: {path} is not a file\n")
                return None
        try:
            sets[results.stem] = read_rows(questions, results)
        except (ValueError, KeyError) as exc:
            sys.stderr.write(
                f"--results: {results} is not `baton eval --out` of {questions} ({exc!r})\n"
            )
            return None
    return sets


def _reliability(args: argparse.Namespace) -> int:
    sets = _result_sets(args)
    if sets is None:
        return 2
    rows = [row for set_rows in sets.values() for row in set_rows]
    sys.stdout.write(markdown_table(reliability(rows)) + "\n")
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    sets = _result_sets(args)
    if sets is None:
        return 2
    rows = [row for set_rows in sets.values() for row in set_rows]
    try:
        curve = fit_curve(answer_points(rows))
    except NotEnoughAnswers as exc:
        sys.stderr.write(f"--results: {exc} (run `baton eval` on this version first)\n")
        return 2
    reports = [
        set_report(name, set_rows, [row for other, o in sets.items() if other != name for row in o])
        for name, set_rows in sets.items()
    ]
    sys.stdout.write(
        f"ConfidenceCurve(intercept={curve.intercept}, slope={curve.slope})\n\n"
        + markdown_sets(reports)
        + "\n\nWith this curve, all sets together:\n\n"
        + markdown_table(reliability(recalibrated(rows, curve)))
        + "\n"
    )
    return 0


def _add_result_sets_command(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    name: str,
    help_text: str,
    run: Callable[[argparse.Namespace], int],
) -> None:
    command = commands.add_parser(name, help=help_text)
    command.add_argument(
        "--questions", required=True, action="append", type=Path, help="JSONL question set"
    )
    command.add_argument(
        "--results", required=True, action="append", type=Path, help="its `baton eval --out`"
    )
    command.set_defaults(run=run)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="baton", description="Baton's command line.")
    commands = root.add_subparsers(dest="command", required=True)

    ask_cmd = commands.add_parser("ask", help="answer one question as the agent would")
    ask_cmd.add_argument("--bot", required=True, help="bot id")
    ask_cmd.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask_cmd.add_argument("question")
    ask_cmd.set_defaults(run=_ask)

    eval_cmd = commands.add_parser("eval", help="ingest a folder, answer a question set, score")
    eval_cmd.add_argument("--kb", required=True, type=Path, help="folder of help pages")
    eval_cmd.add_argument("--questions", required=True, type=Path, help="JSONL question set")
    eval_cmd.add_argument("--out", required=True, type=Path, help="JSONL results to write")
    eval_cmd.add_argument(
        "--bot", default=None, help="ingest into this bot and keep it (default: a fresh bot)"
    )
    eval_cmd.set_defaults(run=_eval)

    _add_result_sets_command(
        commands,
        "reliability",
        "of the answers shown at each confidence, how many held the facts (eval results)",
        _reliability,
    )
    _add_result_sets_command(
        commands,
        "calibrate",
        "fit the confidence curve to eval results of one or more help centers",
        _calibrate,
    )

    ingest_cmd.add_parser(commands)
    reembed_cmd.add_parser(commands)
    return root


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    # Logs go to stderr so stdout carries only the command's JSON.
    configure_logging("cli", json_output=False, level="WARNING")
    if args.command == "eval" and not args.kb.is_dir():
        parser().error(f"--kb: {args.kb} is not a folder")
    if args.command == "ingest":
        ingest_cmd.check(parser(), args)
    sys.exit(args.run(args))


if __name__ == "__main__":
    main()
