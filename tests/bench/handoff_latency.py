"""Benchmark: how fast a teammate's takeover reaches the mode projection, and what the
propose -> commit step adds to an AI reply.

Against the stack of `make up` (.baton/run.json). `python -m tests.bench.handoff_latency [N]`
prints one JSON line: staff message -> mode `human` readable (p50/p99, ms) and proposal ->
commit in the log (p50/p99, ms, from Kafka record timestamps).
"""

import asyncio
import json
import statistics
import sys
import time
from urllib.parse import urlsplit

import httpx
from aiokafka import AIOKafkaConsumer

from tests.support.isolated import ROOT
from tests.support.widget import Visitor


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 1)


async def commit_delays(thread_ids: set[str], bootstrap: str = "127.0.0.1:19092") -> list[float]:
    consumer = AIOKafkaConsumer(
        "conversation.events",
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    proposed: dict[str, int] = {}
    committed: dict[str, int] = {}
    try:
        idle_rounds = 0
        while idle_rounds < 3:
            batch = await consumer.getmany(timeout_ms=500, max_records=5000)
            if not batch:
                idle_rounds += 1
                continue
            idle_rounds = 0
            for records in batch.values():
                for record in records:
                    body = json.loads(record.value)
                    if body.get("thread_id") not in thread_ids:
                        continue
                    if body["type"] == "ai_reply_proposed":
                        proposed[body["reply_id"]] = record.timestamp
                    elif body["type"] == "ai_reply_committed":
                        committed.setdefault(body["reply_id"], record.timestamp)
    finally:
        await consumer.stop()
    return [float(committed[r] - proposed[r]) for r in committed if r in proposed]


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    run = json.loads((ROOT / ".baton/run.json").read_text())
    demo = urlsplit(run["widget_demo_url"])
    origin = f"{demo.scheme}://{demo.netloc}"
    login = httpx.post(
        f"{run['inbox_url']}/v1/auth/login",
        json={"email": run["staff_email"], "password": run["staff_password"]},
    )
    staff = {"Authorization": f"Bearer {login.json()['token']}"}
    takeover_ms: list[float] = []
    thread_ids: set[str] = set()
    with httpx.Client() as client:
        for _ in range(rounds):
            visitor = Visitor.open(run["gateway_url"], origin, run["bot_key"])
            thread_ids.add(visitor.thread_id)
            visitor.send("How do I import my contacts?")
            deadline = time.monotonic() + 10
            while not any(m["author"] == "ai" for m in visitor.history()):
                if time.monotonic() > deadline:
                    raise SystemExit("no AI answer within 10 s")
                time.sleep(0.02)
            thread_url = f"{run['inbox_url']}/v1/threads/{visitor.thread_id}"
            while client.get(thread_url, headers=staff).status_code != 200:
                if time.monotonic() > deadline:
                    raise SystemExit("thread never reached the inbox")
                time.sleep(0.02)
            started = time.perf_counter()
            response = client.post(
                f"{run['inbox_url']}/v1/threads/{visitor.thread_id}/messages",
                json={"text": "Taking over."},
                headers=staff,
            )
            response.raise_for_status()
            mode_url = f"{run['handoff_url']}/v1/threads/{visitor.thread_id}/mode"
            while client.get(mode_url).json().get("mode") != "human":
                if time.perf_counter() - started > 10:
                    raise SystemExit("mode never became human")
            takeover_ms.append((time.perf_counter() - started) * 1000)
    delays = asyncio.run(commit_delays(thread_ids))
    report = {
        "benchmark": "handoff_latency_ms",
        "rounds": rounds,
        "staff_message_to_mode_human_p50": round(statistics.median(takeover_ms), 1),
        "staff_message_to_mode_human_p99": percentile(takeover_ms, 0.99),
        "propose_to_commit_p50": round(statistics.median(delays), 1) if delays else None,
        "propose_to_commit_p99": percentile(delays, 0.99) if delays else None,
        "commits_measured": len(delays),
    }
    sys.stdout.write(json.dumps(report) + "\n")


if __name__ == "__main__":
    main()
