"""Schemathesis against a running service's OpenAPI, as a subprocess with a fixed seed and a
time budget; the HAR file it writes tells how many requests were sent and what they got."""

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.support.isolated import ROOT

# Streams never end, so the fuzzer cannot read them whole: test_fuzz checks them by hand.
STREAM_PATHS = r".*/stream$"


@dataclass(frozen=True)
class FuzzRun:
    exit_code: int
    output: str
    statuses: list[int]

    @property
    def requests(self) -> int:
        return len(self.statuses)

    @property
    def server_errors(self) -> int:
        return sum(1 for status in self.statuses if status >= 500)


def fuzz(
    base_url: str, headers: dict[str, str], seconds: int, report_dir: Path, seed: int = 17
) -> FuzzRun:
    har = report_dir / "requests.har"
    command = [
        str(ROOT / ".venv/bin/schemathesis"),
        "run",
        f"{base_url}/openapi.json",
        "--url",
        base_url,
        "--checks",
        "not_a_server_error,response_schema_conformance",
        "--seed",
        str(seed),
        "--max-time",
        str(seconds),
        "--workers",
        "1",
        "--request-timeout",
        "20",
        "--exclude-path-regex",
        STREAM_PATHS,
        "--continue-on-failure",
        "--generation-database",
        "none",
        "--report",
        "har",
        "--report-har-path",
        str(har),
        "--no-color",
        "--warnings",
        "off",
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    # Run from the report folder: schemathesis keeps a cache in its working directory.
    done = subprocess.run(
        command,
        cwd=report_dir,
        capture_output=True,
        text=True,
        timeout=seconds + 600,
        check=False,
    )
    entries = json.loads(har.read_text())["log"]["entries"] if har.exists() else []
    statuses = [int(entry["response"]["status"]) for entry in entries]
    return FuzzRun(done.returncode, done.stdout + done.stderr, statuses)
