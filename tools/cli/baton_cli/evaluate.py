"""`baton eval`: ingest a folder into a fresh bot, answer every question, score the answers.

Answers come from the `Answerer` the agent runs (baton_answering), over the same Chroma the
stack runs, so the numbers are what visitors would get. Labels are read only when scoring.
"""

import asyncio
import json
import sys
import time
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

import structlog

from baton_answering.answer import Answer
from baton_answering.answerer import Answerer
from baton_answering.retriever import Retriever
from baton_cli.scoring import Row, summarise
from baton_cli.settings import CliSettings
from baton_ingestion.pipeline import IngestReport, ingest_folder
from baton_ingestion.sources import Progress
from baton_retrieval.embedder import Embedder
from baton_retrieval.embedding_models import EmbeddingModel
from baton_retrieval.store import KnowledgeStore

log = structlog.get_logger()
EVAL_BASE_URL = "https://docs.example.invalid"
# Loads the fresh bot's lexical index before timing, as any question after an ingest would.
WARM_UP_QUESTION = "How do I get started?"


def read_questions(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if not isinstance(row, dict) or "id" not in row or "question" not in row:
            raise ValueError(f"{path}:{number}: each line needs an id and a question")
        rows.append(row)
    return rows


def result_line(question_id: str, answer: Answer, latency_ms: float) -> dict[str, Any]:
    return {
        "id": question_id,
        "answer": answer.text,
        "sources": list(answer.source_paths),
        "confidence": answer.confidence,
        "similarity": answer.similarity,
        "agreement": answer.agreement,
        "escalate": answer.escalate,
        "reason": answer.reason.value if answer.reason else None,
        "ranking": list(answer.ranking),
        "latency_ms": round(latency_ms, 1),
    }


async def evaluate(
    kb: Path, questions_file: Path, out: IO[str], *, bot_id: str | None = None
) -> dict[str, Any]:
    """Scores over a fresh bot, dropped afterwards; or over `bot_id`, kept (re-ingest is
    idempotent, so a second run over the same bot skips the embedding work)."""
    settings = CliSettings()
    questions = read_questions(questions_file)
    store = await KnowledgeStore.connect(
        settings.chroma_host, settings.chroma_port, EmbeddingModel(settings.embedding_model)
    )
    keep_bot = bot_id is not None
    bot_id = bot_id or f"eval-{uuid.uuid4().hex[:10]}"
    try:
        started = time.perf_counter()
        report = await ingest_folder(
            store,
            Embedder(
                EmbeddingModel(settings.embedding_model), models_dir=settings.models_dir, threads=2
            ),
            bot_id,
            kb,
            EVAL_BASE_URL,
            on_progress=_progress,
        )
        ingest_seconds = time.perf_counter() - started
        _check_ingest(report)
        # One ONNX thread, as the agent service runs it.
        answerer = Answerer(
            Retriever(
                store,
                Embedder(EmbeddingModel(settings.embedding_model), models_dir=settings.models_dir),
            ),
            settings.answering_config(),
        )
        await answerer.answer(bot_id, WARM_UP_QUESTION)
        rows = []
        for label in questions:
            asked = time.perf_counter()
            answer = await answerer.answer(bot_id, str(label["question"]))
            latency_ms = (time.perf_counter() - asked) * 1000
            line = result_line(str(label["id"]), answer, latency_ms)
            out.write(json.dumps(line) + "\n")
            rows.append(Row(label, line, latency_ms))
        summary = summarise(rows)
        summary["ingest"] = {**asdict(report), "seconds": round(ingest_seconds, 1)}
        summary["bot_id"] = bot_id
        return summary
    finally:
        if not keep_bot:
            await store.drop_bot(bot_id)


def _progress(progress: Progress) -> None:
    sys.stderr.write(f"ingested {progress.source}\n")


def _check_ingest(report: IngestReport) -> None:
    for source, error in report.errors.items():
        log.warning("eval_ingest_error", source=source, error=error)
    if report.pages == 0:
        raise RuntimeError("nothing was ingested: " + json.dumps(report.errors))


def run_eval(
    kb: Path, questions_file: Path, out_file: Path, *, bot_id: str | None
) -> dict[str, Any]:
    with out_file.open("w") as out:
        return asyncio.run(evaluate(kb, questions_file, out, bot_id=bot_id))
