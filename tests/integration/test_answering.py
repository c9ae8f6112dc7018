"""Answering over the real Chroma: hybrid retrieval, cited extractive answers, escalations,
and the `baton ask` / `baton eval` commands."""

import asyncio
import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from baton_answering.answer import Answer
from baton_answering.answerer import Answerer
from baton_answering.retriever import Retriever
from baton_answering.settings import AnsweringSettings
from baton_ingestion.pipeline import ingest_folder
from baton_retrieval.embedder import Embedder
from baton_retrieval.store import KnowledgeStore
from tests.support.infra import infra
from tests.support.isolated import ROOT

pytestmark = pytest.mark.integration


class Bench:
    """One event loop for the module, so the Chroma client and the answerer's cache live on."""

    def __init__(self, folder: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.folder = folder
        self.bot_id = f"test-{uuid.uuid4().hex[:8]}"
        self.embedder = Embedder()
        self.store = self.loop.run_until_complete(
            KnowledgeStore.connect(infra().chroma_host, infra().chroma_port)
        )
        self.answerer = Answerer(
            Retriever(self.store, self.embedder), AnsweringSettings().answering_config()
        )

    def ingest(self) -> None:
        self.loop.run_until_complete(
            ingest_folder(self.store, self.embedder, self.bot_id, self.folder, "https://help.test")
        )

    def ask(self, question: str) -> Answer:
        return self.loop.run_until_complete(self.answerer.answer(self.bot_id, question))

    def close(self) -> None:
        self.loop.run_until_complete(self.store.drop_bot(self.bot_id))
        self.loop.close()


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    folder = tmp_path_factory.mktemp("kb") / "helpcenter"
    shutil.copytree(ROOT / "demo/helpcenter", folder)
    bench = Bench(folder)
    bench.ingest()
    yield bench
    bench.close()


def test_answers_quote_the_steps_and_cite_the_page(bench: Bench) -> None:
    answer = bench.ask("How do I import my contacts?")
    assert not answer.escalate
    assert answer.source_paths[0] == "importing-contacts.md"
    assert answer.sources[0].url == "https://help.test/importing-contacts"
    assert "Settings > Import > Contacts" in answer.text and "**" not in answer.text
    assert len({s.url for s in answer.sources}) == len(answer.sources)


def test_an_edited_page_is_found_by_its_new_words(bench: Bench) -> None:
    # The lexical index is cached in the answerer: it must notice the re-ingest.
    assert "exporting-data.md" not in bench.ask("quuxbarrel snapshots").ranking[:1]
    page = bench.folder / "exporting-data.md"
    page.write_text(
        page.read_text() + "\n## Quuxbarrel snapshots\n\nUse **Settings > Export > Quuxbarrel**.\n"
    )
    bench.ingest()
    answer = bench.ask("quuxbarrel snapshots")
    assert answer.ranking[0] == "exporting-data.md"
    assert "Settings > Export > Quuxbarrel" in answer.text


def test_escalations_need_no_docs(bench: Bench) -> None:
    human = bench.ask("I want to talk to a real person please")
    assert (human.escalate, human.reason) == (True, "asked_for_human")
    assert "teammate" in human.text and human.sources == ()
    refund = bench.ask("You charged my card twice, I want a refund")
    assert refund.reason == "sensitive_topic"
    unknown = bench.ask("Is your product HIPAA certified for hospitals?")
    assert (unknown.escalate, unknown.reason) == (True, "out_of_docs")


def baton(*args: str) -> list[str]:
    out = subprocess.run(
        [str(ROOT / ".venv/bin/baton"), *args],
        cwd=ROOT,
        env=dict(os.environ),
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()


def test_baton_ask_prints_the_answer_as_json(bench: Bench) -> None:
    line = baton("ask", "--bot", bench.bot_id, "--json", "How do I reset my password?")[-1]
    answer = json.loads(line)
    assert set(answer) == {"answer", "sources", "confidence", "escalate", "reason"}
    assert answer["sources"][0]["url"].startswith("https://help.test/")
    assert answer["escalate"] is False and answer["reason"] is None


def test_baton_eval_writes_one_line_per_question_and_a_summary(tmp_path: Path) -> None:
    questions = tmp_path / "questions.jsonl"
    rows = [
        {
            "id": "q1",
            "question": "How do I import my contacts?",
            "kind": "answerable",
            "sources": ["importing-contacts.md"],
            "answer_facts": ["Settings > Import > Contacts"],
        },
        {
            "id": "q2",
            "question": "get me a human",
            "kind": "escalate",
            "sources": [],
            "answer_facts": [],
        },
    ]
    questions.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "results.jsonl"
    summary = json.loads(
        baton(
            "eval",
            "--kb",
            str(ROOT / "demo/helpcenter"),
            "--questions",
            str(questions),
            "--out",
            str(out),
        )[-1]
    )
    results = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in results] == ["q1", "q2"]
    assert results[0]["sources"][0] == "importing-contacts.md"
    assert {"answer", "confidence", "escalate", "reason"} <= set(results[0])
    assert summary["recall@1"] == 1.0 and summary["answer_fact_coverage"] == 1.0
    assert summary["escalate_rows_handed_over"] == 1.0
    assert summary["latency_ms_p95"] is not None and summary["ingest"]["pages"] == 10
