"""Calling an isolated copy's ingest API the way Baton's own callers do: with its token."""

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from tests.support.isolated import IsolatedSystem, free_port
from tests.support.waiting import eventually


def service_headers(system: IsolatedSystem) -> dict[str, str]:
    return {"Authorization": f"Bearer {system.env['BATON_INGEST_API_TOKEN']}"}


def service_client(system: IsolatedSystem) -> httpx.Client:
    return httpx.Client(base_url=system.url("ingest"), headers=service_headers(system), timeout=30)


@contextlib.contextmanager
def inbox_with_ingest(**overrides: str) -> Iterator[IsolatedSystem]:
    """An inbox wired to its own ingest process (no gateway, agent or handoff needed), allowed
    to read sites on loopback, where the tests serve theirs."""
    system = IsolatedSystem()
    system.ports["ingest"] = free_port()
    system.overrides.update(
        {
            "BATON_INBOX_INGEST_URL": system.url("ingest"),
            "BATON_INBOX_PUBLIC_URL": system.url("inbox"),
            "BATON_INBOX_ALLOW_PRIVATE_SOURCE_URLS": "true",
            "BATON_INGEST_ALLOW_PRIVATE_URLS": "true",
            "BATON_INBOX_DIGEST_ENABLED": "false",
            **overrides,
        }
    )
    try:
        system.start("ingest")
        system.start("inbox")
        system.wait_ready("ingest", "inbox")
        yield system
    finally:
        system.discard()


def start_ingest(system: IsolatedSystem) -> None:
    """Only the ingest process of an isolated copy, on a port of its own."""
    system.ports["ingest"] = free_port()
    system.start("ingest")
    system.wait_ready("ingest")


@contextlib.contextmanager
def ingest_service(**overrides: str) -> Iterator[httpx.Client]:
    """An ingest process of its own, and a client that calls it with the service token."""
    system = IsolatedSystem(overrides=overrides)
    try:
        start_ingest(system)
        with service_client(system) as client:
            yield client
    finally:
        system.discard()


ACTIVE_JOB_STATES = ("queued", "running")


def until_ended(
    job: dict[str, Any], read: Callable[[str], dict[str, Any]], within: float = 90.0
) -> dict[str, Any]:
    """The job once it is neither queued nor running, read again by its id through `read`
    (the ingest API or the inbox's): a wait, not a timing assertion."""
    if job["state"] not in ACTIVE_JOB_STATES:
        return job
    return eventually(
        lambda: read(str(job["job_id"])),
        lambda current: current["state"] not in ACTIVE_JOB_STATES,
        within,
        poll=0.2,
    )
