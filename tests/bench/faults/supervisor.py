"""The faults, applied to the local stack through its supervisord (deploy/local)."""

import asyncio
from dataclasses import dataclass

from tests.support.isolated import ROOT

SUPERVISORCTL = (
    str(ROOT / ".venv/bin/supervisorctl"),
    "-c",
    str(ROOT / "deploy/local/supervisord.conf"),
)


@dataclass(frozen=True)
class Fault:
    name: str
    commands: tuple[tuple[str, ...], ...]  # supervisorctl arguments, run in order


def _kill(service: str) -> Fault:
    # supervisord restarts it (autorestart): a crash, not a shutdown, so no drain runs.
    return Fault(f"SIGKILL {service}", (("signal", "KILL", service),))


def _restart(*servers: str) -> Fault:
    return Fault(f"restart {' + '.join(servers)}", tuple(("restart", s) for s in servers))


FAULTS = (
    _kill("gateway"),
    _kill("agent"),
    _kill("handoff"),
    _kill("inbox"),
    _restart("kafka"),
    _restart("postgres", "ferretdb"),
    _restart("redis"),
)


async def apply(fault: Fault) -> None:
    for arguments in fault.commands:
        process = await asyncio.create_subprocess_exec(
            *SUPERVISORCTL,
            *arguments,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        await process.wait()
