"""A Baton of its own on the local Kafka, FerretDB, Redis and Chroma (an isolated prefix): one
gateway, handoff and inbox, and as many agent replicas as a round asks for, each a process in
the same consumer group, answering through the generative answerer against a fake chat model
with a fixed delay (I/O-bound, as a real model API is)."""

import asyncio
import signal
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.protocol.group import MemberAssignment

from tests.bench.load.stack import Stack
from tests.integration.conftest import DEMO_ORIGIN, STAFF_PASSWORD, _seed
from tests.support.infra import infra
from tests.support.isolated import ROOT, IsolatedSystem

CORE = ("gateway", "handoff", "inbox")


@dataclass
class ScaleCluster:
    base: IsolatedSystem
    agent_settings: dict[str, str]
    agents: list[IsolatedSystem] = field(default_factory=list)
    stack: Stack | None = None

    @classmethod
    def start(cls, model_url: str, per_replica_batch: int) -> "ScaleCluster":
        base = IsolatedSystem(overrides={"BATON_HANDOFF_HANDBACK_IDLE_SECONDS": "600"})
        for service in CORE:
            base.start(service)
        base.wait_ready(*CORE)
        agent_settings = {
            "BATON_AGENT_ANSWERER": "generative",
            "BATON_AGENT_LLM_BASE_URL": model_url,
            "BATON_AGENT_LLM_MODEL": "bench-model",
            "BATON_AGENT_LLM_API_KEY": "bench",
            "BATON_AGENT_LLM_TIMEOUT_SECONDS": "30",
            # The records one replica takes per batch, all answered concurrently: a bound on
            # one replica's answers in flight, as a model API's per-key limit would be.
            "BATON_CONSUMER_BATCH_MAX_RECORDS": str(per_replica_batch),
        }
        cluster = cls(base, agent_settings)
        cluster.stack = cluster._seed()
        return cluster

    def _seed(self) -> Stack:
        suffix = uuid.uuid4().hex[:8]
        email = f"owner-{suffix}@example.test"
        ids = _seed(self.base, f"bot-{suffix}", email, DEMO_ORIGIN)
        self.base.ingest(ids["bot_id"], "https://help.orbit.test")
        return Stack(
            gateway_url=self.base.url("gateway"),
            inbox_url=self.base.url("inbox"),
            widget_origin=DEMO_ORIGIN,
            bot_key=f"bot-{suffix}",
            bot_id=str(ids["bot_id"]),
            account_id=str(ids["account_id"]),
            staff_email=email,
            staff_password=STAFF_PASSWORD,
            mail_dir=ROOT / ".baton" / "mail",
        )

    @property
    def topic(self) -> str:
        return f"{self.base.name}.conversation.events"

    def group(self, service: str) -> str:
        return f"{self.base.name}.{service}"

    def scale_agents(self, replicas: int) -> None:
        while len(self.agents) > replicas:
            self.stop_agent(len(self.agents) - 1, signal.SIGTERM)
        while len(self.agents) < replicas:
            replica = IsolatedSystem(
                overrides={
                    "BATON_TOPIC_PREFIX": f"{self.base.name}.",
                    "BATON_MONGO_DB": self.base.mongo_db,
                    "BATON_REDIS_PREFIX": f"{self.base.name}:",
                    **self.agent_settings,
                }
            )
            replica.start("agent")
            replica.wait_ready("agent")
            self.agents.append(replica)

    def stop_agent(self, index: int, sig: int) -> None:
        self.agents.pop(index).kill("agent", sig)  # and waits for the process to end

    async def assignment(self, service: str = "agent") -> dict[str, list[int]]:
        """Member id -> partitions of the conversation topic, from the group's description."""
        admin = AIOKafkaAdminClient(bootstrap_servers=infra().kafka_bootstrap)
        await admin.start()
        try:
            [response] = await admin.describe_consumer_groups([self.group(service)])
        finally:
            await admin.close()
        members: dict[str, list[int]] = {}
        for group in response.groups:
            state = group[2]
            if state != "Stable":
                return {}
            for member in group[5]:
                member_id, assignment_bytes = member[0], member[-1]
                decoded: Any = MemberAssignment.decode(assignment_bytes)
                members[member_id] = sorted(
                    p for topic, parts in decoded.assignment if topic == self.topic for p in parts
                )
        return members

    async def wait_spread(
        self, replicas: int, partitions: int, within_s: float = 90
    ) -> dict[str, list[int]]:
        """Until the group is stable with `replicas` members holding every partition."""
        deadline = asyncio.get_running_loop().time() + within_s
        while True:
            members = await self.assignment()
            held = sorted(p for parts in members.values() for p in parts)
            if len(members) == replicas and held == list(range(partitions)):
                return members
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"agent group never spread over {replicas}: {members}")
            await asyncio.sleep(1.0)

    def discard(self) -> None:
        for replica in self.agents:
            replica.stop_all()
        self.base.discard()
