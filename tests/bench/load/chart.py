"""latest.png: answer p50/p95/p99 per scenario, and p50 at the stored size of the run against
p50 at 100k stored messages."""

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only: no display on a server
import matplotlib.pyplot as plt

PERCENTILES = ("p50", "p95", "p99")


def draw_chart(document: dict[str, Any], path: Path) -> None:
    scenarios = {k: v for k, v in document["answer_latency_ms"].items() if v}
    figure, (by_scenario, by_size) = plt.subplots(
        1, 2, figsize=(11, 4.5), gridspec_kw={"width_ratios": [3, 1.4]}
    )
    width = 0.8 / len(PERCENTILES)
    for offset, percentile in enumerate(PERCENTILES):
        values = [scenario.get(percentile) or 0 for scenario in scenarios.values()]
        positions = [index + offset * width for index in range(len(scenarios))]
        by_scenario.bar(positions, values, width, label=percentile)
    by_scenario.set_xticks(
        [index + width for index in range(len(scenarios))],
        [f"{name} ({s.get('visitors', '?')} visitors)" for name, s in scenarios.items()],
    )
    by_scenario.set_yscale("log")
    by_scenario.set_ylabel("answer latency (ms, log scale)")
    by_scenario.set_title("Visitor question -> cited answer on the stream")
    by_scenario.legend()
    c1_p50 = document["answer_latency_ms"].get("c1", {}) or {}
    sizes = [f"{document['stored_messages']:,} stored", "100k stored"]
    p50s = [c1_p50.get("p50") or 0, document["answer_p50_ms_at_100k_stored"] or 0]
    by_size.bar(sizes, p50s, color=["tab:blue", "tab:orange"])
    by_size.set_ylabel("c1 answer p50 (ms)")
    by_size.set_title("Cost as data grows")
    figure.suptitle(
        f"sustained {document['sustained_msgs_per_s']} msgs/s with p99 < 1 s; "
        f"Kafka rtt p50 {document['kafka_rtt_ms'].get('p50')} ms"
    )
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
