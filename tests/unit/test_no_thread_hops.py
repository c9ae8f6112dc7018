"""Every route and dependency of every service is a coroutine: FastAPI runs a plain `def`
in its thread pool, one thread hop per request (measured in the gateway under 50 visitors:
the pool's worker threads were ~15% of its samples, for a dependency that reads app.state)."""

import inspect
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import SecretStr
from starlette.routing import BaseRoute

from baton_agent.app import build_app as build_agent
from baton_agent.settings import AgentSettings
from baton_gateway.app import build_app as build_gateway
from baton_gateway.settings import GatewaySettings
from baton_handoff.app import build_app as build_handoff
from baton_handoff.settings import HandoffSettings
from baton_inbox.app import build_app as build_inbox
from baton_inbox.settings import InboxSettings
from baton_ingest.app import build_app as build_ingest
from baton_ingest.settings import IngestSettings
from tests.support.in_memory import UNIT_SETTINGS

SECRET = SecretStr("thread-hops-test-secret")


def service_apps() -> list[FastAPI]:
    return [
        build_gateway(GatewaySettings(**UNIT_SETTINGS)),
        build_inbox(InboxSettings(**UNIT_SETTINGS)),
        build_agent(AgentSettings(**UNIT_SETTINGS)),
        build_handoff(HandoffSettings(**UNIT_SETTINGS)),
        build_ingest(IngestSettings(**{**UNIT_SETTINGS, "ingest_api_token": SECRET})),
    ]


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    if dependant.call is not None:
        yield dependant.call
    for sub in dependant.dependencies:
        yield from _calls(sub)


def runs_on_the_event_loop(call: Callable[..., Any]) -> bool:
    if inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call):
        return True
    if inspect.isclass(call):
        return False  # a class is instantiated in the thread pool
    dunder_call = getattr(call, "__call__", None)  # noqa: B004
    return inspect.iscoroutinefunction(dunder_call) or inspect.isasyncgenfunction(dunder_call)


def test_the_check_tells_a_plain_function_from_a_coroutine() -> None:
    def plain() -> None: ...

    async def coroutine() -> None: ...

    assert not runs_on_the_event_loop(plain)
    assert runs_on_the_event_loop(coroutine)


def api_routes(routes: Sequence[BaseRoute]) -> Iterator[APIRoute]:
    """Every APIRoute, also those of included routers (FastAPI keeps an included router
    whole, as `_IncludedRouter`, and combines its routes' contexts when routing)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from api_routes(included.routes)


def test_every_route_is_checked() -> None:
    gateway = service_apps()[0]
    paths = {route.path for route in api_routes(gateway.routes)}
    assert "/v1/widget/threads/{thread_id}/messages" in paths


def test_no_route_or_dependency_runs_in_the_thread_pool() -> None:
    in_thread_pool: list[str] = []
    for app in service_apps():
        for route in api_routes(app.routes):
            for call in _calls(route.dependant):
                if not runs_on_the_event_loop(call):
                    name = getattr(call, "__qualname__", repr(call))
                    in_thread_pool.append(f"{app.title} {route.path}: {name}")
    assert in_thread_pool == []
