"""Benchmark: time from a visitor's POST to the cited AI answer on the SSE stream.

Runs against the stack of `make up` (.baton/run.json); prints one JSON line with p50/p95/max.
`python -m tests.bench.answer_latency [N]`
"""

import json
import random
import statistics
import sys
import time
from urllib.parse import urlsplit

from tests.bench.load.addresses import visitor_address
from tests.support.isolated import ROOT
from tests.support.widget import Visitor

QUESTIONS = [
    "How do I import my contacts?",
    "How can I reset my password?",
    "How do I connect Gmail?",
    "Where do I create an API key?",
    "How do I move a deal to another stage?",
    "Can I export all my data?",
    "How do I build a dashboard?",
    "How do I give a teammate admin rights?",
]


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    run = json.loads((ROOT / ".baton/run.json").read_text())
    demo = urlsplit(run["widget_demo_url"])
    origin = f"{demo.scheme}://{demo.netloc}"
    latencies_ms: list[float] = []
    first_address = random.randrange(200_000)
    for index in range(rounds):
        # A fresh client address per visitor, as real visitors come: repeated runs from one
        # address would meet the gateway's bound on sessions per address.
        source = visitor_address(first_address + index)
        visitor = Visitor.open(run["gateway_url"], origin, run["bot_key"], source=source)
        stream = visitor.stream()
        time.sleep(0.05)
        started = time.perf_counter()
        visitor.send(QUESTIONS[index % len(QUESTIONS)])
        stream.wait_for(lambda m: m["author"] == "ai", timeout=10)
        latencies_ms.append((time.perf_counter() - started) * 1000)
        stream.close()
    latencies_ms.sort()
    report = {
        "benchmark": "widget_answer_latency_ms",
        "rounds": rounds,
        "p50": round(statistics.median(latencies_ms), 1),
        "p95": round(latencies_ms[int(0.95 * (len(latencies_ms) - 1))], 1),
        "max": round(latencies_ms[-1], 1),
    }
    sys.stdout.write(json.dumps(report) + "\n")


if __name__ == "__main__":
    main()
