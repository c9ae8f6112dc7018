"""CPU time of the document store: the process listening on the MongoDB port (FerretDB, or a
real mongod) and, when FerretDB runs on PostgreSQL, that postgres server with its backends."""

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

PROC = Path("/proc")
TICKS_PER_S = os.sysconf("SC_CLK_TCK")
LISTEN = "0A"
POSTGRES_PORT = re.compile(r"postgres(?:ql)?://[^\s/]*:(\d+)")


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("net/tcp", "net/tcp6"):
        path = PROC / table
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == LISTEN and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    return inodes


def _pids() -> list[int]:
    return [int(entry.name) for entry in PROC.iterdir() if entry.name.isdigit()]


def pid_listening_on(port: int) -> int | None:
    wanted = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    for pid in _pids():
        try:
            links = {os.readlink(fd) for fd in (PROC / str(pid) / "fd").iterdir()}
        except OSError:
            continue
        if links & wanted:
            return pid
    return None


def _stat(pid: int) -> list[str]:
    raw = (PROC / str(pid) / "stat").read_text()
    return raw[raw.rindex(")") + 2 :].split()  # fields after "pid (comm)"


def cpu_seconds(pid: int, *, with_reaped_children: bool = False) -> float:
    """utime + stime (+ the exited children's, which a postmaster reaps) of one process."""
    fields = _stat(pid)
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if with_reaped_children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / TICKS_PER_S


def _children(parent: int) -> list[int]:
    children = []
    for pid in _pids():
        try:
            if int(_stat(pid)[1]) == parent:
                children.append(pid)
        except (OSError, ValueError, IndexError):
            continue
    return children


@dataclass(frozen=True)
class StoreProcesses:
    server: int | None  # what listens on the MongoDB port
    postgres: int | None  # its PostgreSQL postmaster, if it has one

    @classmethod
    def find(cls, mongo_url: str) -> "StoreProcesses":
        server = pid_listening_on(urlsplit(mongo_url).port or 27017)
        postgres = None
        if server is not None:
            cmdline = (PROC / str(server) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            if match := POSTGRES_PORT.search(cmdline):
                postgres = pid_listening_on(int(match.group(1)))
        return cls(server, postgres)

    def cpu_seconds(self) -> float:
        total = 0.0
        if self.server is not None:
            total += cpu_seconds(self.server)
        if self.postgres is not None:
            total += cpu_seconds(self.postgres, with_reaped_children=True)
            for child in _children(self.postgres):
                try:
                    total += cpu_seconds(child)
                except OSError:
                    continue  # a backend that exited just now
        return total
