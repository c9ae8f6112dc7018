"""The generative answerer over the real Chroma, against a real local OpenAI-compatible server.

The server (http.server on 127.0.0.1) answers /v1/chat/completions with what each test sets,
so citation handling is checked on what the model actually sends back; a closed port and a
slow server prove the extractive fallback.
"""

import asyncio
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from baton_answering.answer import Answer
from baton_answering.answerer import Answerer
from baton_answering.retriever import Retriever
from baton_answering.settings import AnsweringSettings
from baton_contracts.bot_document import AnswererChoice
from baton_ingestion.pipeline import ingest_folder
from baton_retrieval.embedder import Embedder
from baton_retrieval.store import KnowledgeStore
from tests.support.fake_model import FakeModel, serve_model
from tests.support.infra import infra
from tests.support.isolated import ROOT, free_port

pytestmark = pytest.mark.integration
QUESTION = "How do I import my contacts?"


class Bench:
    def __init__(self, folder: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.bot_id = f"test-{uuid.uuid4().hex[:8]}"
        self.embedder = Embedder()
        self.store = self.loop.run_until_complete(
            KnowledgeStore.connect(infra().chroma_host, infra().chroma_port)
        )
        self.loop.run_until_complete(
            ingest_folder(self.store, self.embedder, self.bot_id, folder, "https://help.test")
        )

    def answerer(self, **settings: Any) -> Answerer:
        return Answerer(
            Retriever(self.store, self.embedder), AnsweringSettings(**settings).answering_config()
        )

    def ask(
        self, answerer: Answerer, question: str = QUESTION, choice: AnswererChoice | None = None
    ) -> Answer:
        """`choice` is the bot's answerer setting (None: the service default)."""
        return self.loop.run_until_complete(answerer.answer(self.bot_id, question, answerer=choice))

    def close(self) -> None:
        self.loop.run_until_complete(self.store.drop_bot(self.bot_id))
        self.loop.close()


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    folder = tmp_path_factory.mktemp("kb") / "helpcenter"
    shutil.copytree(ROOT / "demo/helpcenter", folder)
    bench = Bench(folder)
    yield bench
    bench.close()


@pytest.fixture(scope="module")
def model() -> Iterator[tuple[FakeModel, str]]:
    fake = FakeModel()
    server = serve_model(fake)
    yield fake, f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def generative(bench: Bench, base_url: str, timeout: float = 10.0) -> Answerer:
    return bench.answerer(
        agent_answerer="generative",
        agent_llm_base_url=base_url,
        agent_llm_model="tiny-test-model",
        agent_llm_timeout_seconds=timeout,
    )


def test_an_unreachable_model_falls_back_to_the_extractive_answer(bench: Bench) -> None:
    extractive = bench.ask(bench.answerer())
    closed_port = free_port()  # bound and released: nothing listens there
    answer = bench.ask(generative(bench, f"http://127.0.0.1:{closed_port}/v1"))
    assert answer == extractive and not answer.escalate
    assert "Settings > Import > Contacts" in answer.text


def test_the_model_answer_cites_only_pages_it_was_given(
    bench: Bench, model: tuple[FakeModel, str]
) -> None:
    fake, base_url = model
    fake.reply = "Go to Settings > Import > Contacts and upload a CSV file [1]. See also [42]."
    fake.requests.clear()
    answer = bench.ask(generative(bench, base_url))
    sent = fake.requests[0]
    assert sent["path"] == "/v1/chat/completions" and sent["model"] == "tiny-test-model"
    prompt = sent["messages"][-1]["content"]
    assert prompt.startswith("Passages:\n\n[1] ") and prompt.endswith(f"Question: {QUESTION}")
    assert "cite" in sent["messages"][0]["content"].lower()
    assert answer.text == "Go to Settings > Import > Contacts and upload a CSV file. See also."
    assert answer.source_paths == ("importing-contacts.md",)
    assert [s.url for s in answer.sources] == ["https://help.test/importing-contacts"]


def test_an_uncited_reply_is_not_used_and_no_answer_hands_over(
    bench: Bench, model: tuple[FakeModel, str]
) -> None:
    fake, base_url = model
    extractive = bench.ask(bench.answerer())
    fake.reply = "Just import them, it is easy."
    assert bench.ask(generative(bench, base_url)) == extractive
    fake.reply = "NO_ANSWER"
    handed = bench.ask(generative(bench, base_url))
    assert (handed.escalate, handed.reason, handed.sources) == (True, "out_of_docs", ())


def test_a_slow_model_times_out_into_the_extractive_answer(
    bench: Bench, model: tuple[FakeModel, str]
) -> None:
    fake, base_url = model
    extractive = bench.ask(bench.answerer())
    fake.reply, fake.delay_seconds = "Too late [1].", 3.0
    try:
        assert bench.ask(generative(bench, base_url, timeout=0.5)) == extractive
    finally:
        fake.delay_seconds = 0.0


def test_a_bot_chooses_the_model_while_other_bots_stay_extractive(
    bench: Bench, model: tuple[FakeModel, str]
) -> None:
    """A model configured for the service (an endpoint, BATON_AGENT_ANSWERER left extractive)
    is used only for the bots whose settings choose it."""
    fake, base_url = model
    fake.reply, fake.delay_seconds = "Use Settings > Import > Contacts [1].", 0.0
    fake.requests.clear()
    answerer = bench.answerer(agent_llm_base_url=base_url, agent_llm_model="tiny-test-model")
    extractive = bench.ask(bench.answerer())
    assert bench.ask(answerer) == extractive
    assert bench.ask(answerer, choice="extractive") == extractive
    assert fake.requests == []
    chosen = bench.ask(answerer, choice="generative")
    assert chosen.text == "Use Settings > Import > Contacts." and len(fake.requests) == 1


def test_a_bot_that_chooses_a_model_none_is_configured_gets_the_extractive_answer(
    bench: Bench,
) -> None:
    extractive = bench.ask(bench.answerer())
    assert bench.ask(bench.answerer(), choice="generative") == extractive
