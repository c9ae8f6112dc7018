"""Benchmark: where an answer's time goes under load, hop by hop, from the log's own clocks.

Runs N visitors at once (default 50, 5 questions each, 1 s think time, each from its own
address) against the stack of `make up`, then reads the conversation log written during the
run and pairs each visitor message with its proposal and commit by message id. Each record's
timestamp is its producer's clock (CreateTime), so for every answer:

- `received_to_proposed`: the agent's hop (its consumer's wait for the record, the handoff's
  verdict, retrieval, composing, producing);
- `proposed_to_committed`: the handoff's hop (consuming the proposal, deciding, producing);
- `received_to_committed`: both; the visitor's answer latency less this is the rest (the POST
  up to the gateway's publish, the gateway consuming the commit, storing it, the Redis
  notice, the SSE write).

Prints one JSON line with p50/p90/p99 of each.

    .venv/bin/python -m tests.bench.hop_latency [VISITORS]
"""

import asyncio
import json
import random
import sys
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from baton_events import AiReplyCommitted, AiReplyProposed, VisitorMessageReceived, decode_event
from tests.bench.load.addresses import AddressPool
from tests.bench.load.concurrent import VisitorPlan, run_concurrent
from tests.bench.load.stack import Stack
from tests.support.infra import infra
from tests.support.isolated import ROOT

CONVERSATION_TOPIC = "conversation.events"


@dataclass
class AnswerHops:
    received_ms: int | None = None
    proposed_ms: int | None = None
    committed_ms: int | None = None


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)

    def at(fraction: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 1)

    return {"p50": at(0.5), "p90": at(0.9), "p99": at(0.99), "n": len(ordered)}


async def conversation_partitions(bootstrap: str) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        topics = [t for t in await admin.list_topics() if t.startswith(CONVERSATION_TOPIC)]
        described = await admin.describe_topics(topics)
    finally:
        await admin.close()
    return [
        TopicPartition(topic["topic"], partition["partition"])
        for topic in described
        for partition in topic["partitions"]
    ]


async def end_offsets(
    bootstrap: str, partitions: list[TopicPartition]
) -> dict[TopicPartition, int]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        return dict(await consumer.end_offsets(partitions))
    finally:
        await consumer.stop()


async def read_hops(
    bootstrap: str, start: dict[TopicPartition, int], end: dict[TopicPartition, int]
) -> dict[str, AnswerHops]:
    """Each visitor message of the run with the clocks of its proposal and commit."""
    hops: dict[str, AnswerHops] = {}
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        wanted = [tp for tp in end if end[tp] > start.get(tp, 0)]
        consumer.assign(wanted)
        for tp in wanted:
            consumer.seek(tp, start.get(tp, 0))
        remaining = set(wanted)
        while remaining:
            batch = await consumer.getmany(timeout_ms=1000)
            for tp, records in batch.items():
                for record in records:
                    if record.offset >= end[tp]:
                        remaining.discard(tp)
                        break
                    _note(hops, record.value, record.timestamp)
                if await consumer.position(tp) >= end[tp]:
                    remaining.discard(tp)
    finally:
        await consumer.stop()
    return hops


def _note(hops: dict[str, AnswerHops], value: bytes | None, timestamp_ms: int) -> None:
    event = decode_event(value) if value else None
    if isinstance(event, VisitorMessageReceived):
        hops.setdefault(event.message_id, AnswerHops()).received_ms = timestamp_ms
    elif isinstance(event, AiReplyProposed):
        hops.setdefault(event.in_reply_to, AnswerHops()).proposed_ms = timestamp_ms
    elif isinstance(event, AiReplyCommitted):
        hops.setdefault(event.in_reply_to, AnswerHops()).committed_ms = timestamp_ms


async def measure(visitors: int) -> dict[str, object]:
    stack = Stack.from_run_json(ROOT / ".baton/run.json")
    bootstrap = infra().kafka_bootstrap
    partitions = await conversation_partitions(bootstrap)
    before = await end_offsets(bootstrap, partitions)
    tally = await run_concurrent(
        stack, AddressPool(first=random.randrange(300_000)), visitors, VisitorPlan(questions=5)
    )
    after = await end_offsets(bootstrap, partitions)
    hops = await read_hops(bootstrap, before, after)
    complete = [
        h
        for h in hops.values()
        if h.received_ms is not None and h.proposed_ms is not None and h.committed_ms is not None
    ]
    agent = [float(h.proposed_ms - h.received_ms) for h in complete]  # type: ignore[operator]
    handoff = [float(h.committed_ms - h.proposed_ms) for h in complete]  # type: ignore[operator]
    summary = tally.summary(visitors)
    return {
        "benchmark": "hop_latency_ms",
        "visitors": visitors,
        "answers": tally.answered,
        "answer_latency_ms": {key: summary[key] for key in ("p50", "p95", "p99")},
        "received_to_proposed": percentiles(agent),
        "proposed_to_committed": percentiles(handoff),
        "received_to_committed": percentiles([a + b for a, b in zip(agent, handoff, strict=True)]),
    }


def main() -> None:
    visitors = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    sys.stdout.write(json.dumps(asyncio.run(measure(visitors))) + "\n")


if __name__ == "__main__":
    main()
