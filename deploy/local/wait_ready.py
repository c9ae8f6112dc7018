"""Waits until every part of the local stack answers; names the laggard and its log otherwise."""

import os
import socket
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from pymongo import MongoClient
from pymongo.errors import PyMongoError

TCP = {"kafka": 19092, "redis": 16379, "chroma": 18000}
POSTGRES_PORT = 15432
FERRETDB_URL = "mongodb://127.0.0.1:27117/"
HTTP = {
    "gateway": "http://127.0.0.1:8100/readyz",
    "agent": "http://127.0.0.1:8400/readyz",
    "handoff": "http://127.0.0.1:8500/readyz",
    "inbox": "http://127.0.0.1:8200/readyz",
    "ingest": "http://127.0.0.1:8300/readyz",
    "demo-site": "http://127.0.0.1:8600/healthz",
}
TIMEOUT_SECONDS = 180


def tcp_up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def mongo_up(url: str) -> bool:
    """FerretDB's ping reads its backend's catalogue, so it answers only once PostgreSQL does."""
    client: MongoClient[dict[str, object]] = MongoClient(url, serverSelectionTimeoutMS=1000)
    try:
        client.admin.command("ping")
        return True
    except PyMongoError:
        return False
    finally:
        client.close()


def http_up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def main() -> None:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    waiting: dict[str, tuple[str, int | str]] = {
        **{n: ("tcp", p) for n, p in TCP.items()},
        "ferretdb": ("mongo", FERRETDB_URL),
        **{n: ("http", u) for n, u in HTTP.items()},
    }
    # The same default as deploy/local/ferretdb.sh; up.sh has loaded .baton/local.env.
    if os.environ.get("BATON_LOCAL_STORE", "postgresql") == "postgresql":
        waiting["postgres"] = ("tcp", POSTGRES_PORT)
    checks: dict[str, Callable[[str], bool]] = {
        "tcp": lambda port: tcp_up(int(port)),
        "mongo": mongo_up,
        "http": http_up,
    }
    while waiting and time.monotonic() < deadline:
        for name, (kind, target) in list(waiting.items()):
            if name == "ferretdb" and "postgres" in waiting:
                continue  # FerretDB is not ready before its backend
            if checks[kind](str(target)):
                del waiting[name]
        if waiting:
            time.sleep(0.5)
    if waiting:
        for name in waiting:
            log = Path(".baton/logs") / f"{name}.log"
            tail = log.read_text(errors="replace").splitlines()[-15:] if log.exists() else []
            sys.stderr.write(
                f"\n{name} is not ready; last lines of {log}:\n" + "\n".join(tail) + "\n"
            )
        sys.exit(f"stack not ready after {TIMEOUT_SECONDS} s: {', '.join(waiting)}")
    sys.stderr.write("stack ready\n")


if __name__ == "__main__":
    main()
