"""An isolated copy of Baton's services for tests, on the real servers `make` starts.

Each copy gets its own topic prefix, MongoDB database, Redis key prefix and ports, so tests
never see the demo stack's data, and a test may SIGKILL and restart any service.
"""

import asyncio
import functools
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
from aiokafka.admin import AIOKafkaAdminClient
from pymongo import MongoClient

from baton_ingestion.pipeline import ingest_folder
from baton_retrieval.embedder import BATCH_SIZE, Embedder
from baton_retrieval.embedding_models import EmbeddingModel
from baton_retrieval.store import KnowledgeStore
from tests.support.infra import INFRA_KEYS, infra

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("gateway", "agent", "handoff", "inbox")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def local_env() -> dict[str, str]:
    """The secrets `make` generated (.baton/local.env), or a throwaway one."""
    values = {
        "BATON_TOKEN_SECRET": uuid.uuid4().hex,
        "BATON_INGEST_API_TOKEN": uuid.uuid4().hex,
    }
    env_file = ROOT / ".baton" / "local.env"
    if env_file.exists():
        for line in env_file.read_text().splitlines():
            key, _, value = line.partition("=")
            if key:
                values[key] = value
    return values


@dataclass
class IsolatedSystem:
    name: str = field(default_factory=lambda: f"t{uuid.uuid4().hex[:10]}")
    overrides: dict[str, str] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.ports = {service: free_port() for service in SERVICES}
        self.log_dir = ROOT / ".baton" / "logs" / "tests" / self.name
        self.log_dir.mkdir(parents=True, exist_ok=True)

    @property
    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("BATON_") or key in INFRA_KEYS
        }
        env.update(local_env())
        env.update(
            {
                "BATON_TOPIC_PREFIX": f"{self.name}.",
                "BATON_MONGO_DB": self.name,
                "BATON_REDIS_PREFIX": f"{self.name}:",
                "BATON_LOG_JSON": "true",
                # Every test signs up from 127.0.0.1; the limit has a test of its own.
                "BATON_INBOX_SIGNUPS_PER_IP": "100000",
                **{f"BATON_{svc.upper()}_PORT": str(port) for svc, port in self.ports.items()},
                **self.overrides,
            }
        )
        return env

    @property
    def mongo_db(self) -> str:
        return self.name

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def start(self, service: str) -> None:
        log = (self.log_dir / f"{service}.log").open("ab")
        self.processes[service] = subprocess.Popen(
            [sys.executable, "-m", f"baton_{service}"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def start_all(self) -> None:
        for service in SERVICES:
            self.start(service)
        self.wait_ready(*SERVICES)

    def wait_ready(self, *services: str, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        for service in services:
            while True:
                process = self.processes[service]
                if process.poll() is not None:
                    raise RuntimeError(f"{service} exited: {self.log_tail(service)}")
                try:
                    with urllib.request.urlopen(f"{self.url(service)}/readyz", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{service} not ready: {self.log_tail(service)}")
                time.sleep(0.2)

    def kill(self, service: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes[service]
        process.send_signal(sig)
        process.wait(timeout=30)

    def restart(self, service: str, sig: int = signal.SIGKILL) -> None:
        self.kill(service, sig)
        self.start(service)
        self.wait_ready(service)

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    def discard(self) -> None:
        """Stop every process and delete the copy's database and topics."""
        self.stop_all()
        MongoClient(infra().mongo_url).drop_database(self.mongo_db)
        # A thread of its own: the caller's thread may be running an event loop (Playwright).
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, _drop_topics(self.name)).result()

    def ingest(
        self, bot_id: object, base_url: str, folder: Path = ROOT / "demo" / "helpcenter"
    ) -> None:
        """A folder of help pages into the bot's knowledge (the demo help center by default),
        through the pipeline `baton ingest` runs, in this process with one embedder for the
        whole run: a `baton ingest` process per fixture spent ~6 s of the suite importing.
        The command line itself is tested in test_ingest_api.py."""
        env = self.env
        model = EmbeddingModel(env.get("BATON_EMBEDDING_MODEL", EmbeddingModel.MINILM.value))

        async def ingest() -> None:
            store = await KnowledgeStore.connect(
                env.get("BATON_CHROMA_HOST", infra().chroma_host),
                int(env.get("BATON_CHROMA_PORT", infra().chroma_port)),
                model,
            )
            await ingest_folder(store, _embedder(model), str(bot_id), folder, base_url)

        # A thread of its own: the caller's thread may be running an event loop (Playwright).
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, ingest()).result()

    def log_tail(self, service: str, lines: int = 20) -> str:
        path = self.log_dir / f"{service}.log"
        return (
            "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
            if path.exists()
            else ""
        )


class _RememberingEmbedder(Embedder):
    """Fixtures ingest the same demo pages again and again: each text (chunk, title, word) is
    embedded once per test run."""

    def __init__(self, model: EmbeddingModel) -> None:
        super().__init__(model, threads=2)
        self._known: dict[str, npt.NDArray[np.float32]] = {}

    def embed(self, texts: list[str], batch_size: int = BATCH_SIZE) -> npt.NDArray[np.float32]:
        missing = [text for text in dict.fromkeys(texts) if text not in self._known]
        if missing:
            vectors = super().embed(missing, batch_size)
            self._known.update(zip(missing, vectors, strict=True))
        if not texts:
            return super().embed(texts, batch_size)
        return np.vstack([self._known[text] for text in texts])


@functools.cache
def _embedder(model: EmbeddingModel) -> Embedder:
    """One per model for the test run: loading the ONNX session costs a second each time."""
    return _RememberingEmbedder(model)


def run_json(*args: str, env: dict[str, str]) -> dict[str, object]:
    out = subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


async def _drop_topics(prefix: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=infra().kafka_bootstrap)
    await admin.start()
    try:
        topics = [t for t in await admin.list_topics() if t.startswith(prefix)]
        if topics:
            await admin.delete_topics(topics)
    finally:
        await admin.close()
