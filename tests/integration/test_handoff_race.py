"""The handoff invariant under fire: many threads, staff replies racing the agent, and the
agent, handoff and gateway SIGKILLed and restarted at random points of the run.

Checked from the log and from what every visitor's stream received:
- no AI message is delivered after a teammate's message until the thread is handed back;
- no accepted visitor message is lost; no message is delivered twice.
"""

import asyncio
import json
import os
import random
import signal
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from baton_events import AiReplyCommitted, StaffReplied, ThreadMode, ThreadModeChanged
from tests.integration.conftest import STAFF_PASSWORD
from tests.support.isolated import ROOT, IsolatedSystem, run_json
from tests.support.log_reader import read_topic, wait_until_consumed

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

THREADS = int(os.environ.get("BATON_RACE_THREADS", "200"))
SPREAD_SECONDS = float(os.environ.get("BATON_RACE_SECONDS", "20"))
SEED = int(os.environ.get("BATON_RACE_SEED", str(int(time.time()))))
ORIGIN = "http://race.test"
QUESTIONS = [
    "How do I import my contacts?",
    "How do I connect Gmail?",
    "How do I reset my password?",
    "Where do I create an API key?",
    "How do I export my deals?",
    "How do I build a report?",
]


@dataclass
class ThreadRun:
    thread_id: str = ""
    token: str = ""
    accepted_visitor_ids: list[str] = field(default_factory=list)
    deliveries: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    staff_replied: bool = False
    handed_back: bool = False
    done: bool = False


@pytest.fixture(scope="module")
def race_system() -> Iterator[tuple[IsolatedSystem, str, str]]:
    system = IsolatedSystem(overrides={"BATON_HANDOFF_HANDBACK_IDLE_SECONDS": "600"})
    system.start_all()
    suffix = uuid.uuid4().hex[:8]
    email = f"race-{suffix}@example.test"
    ids = run_json(
        str(ROOT / ".venv/bin/baton-inbox-admin"),
        "seed-demo",
        "--account-name",
        f"race-{suffix}",
        "--email",
        email,
        "--password",
        STAFF_PASSWORD,
        "--bot-key",
        f"race-{suffix}",
        "--allowed-origin",
        ORIGIN,
        env=system.env,
    )
    system.ingest(ids["bot_id"], "https://help.race.test")
    login = httpx.post(
        f"{system.url('inbox')}/v1/auth/login", json={"email": email, "password": STAFF_PASSWORD}
    )
    yield system, f"race-{suffix}", login.json()["token"]
    system.stop_all()


async def retrying(call: Any, *, accept: tuple[int, ...], attempts: int = 200) -> httpx.Response:
    """Like the widget: retry through restarts with the same request (and client id)."""
    for _ in range(attempts):
        try:
            response: httpx.Response = await call()
            if response.status_code in accept:
                return response
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError("request never succeeded")


async def follow_stream(client: httpx.AsyncClient, gateway: str, run: ThreadRun) -> None:
    """An EventSource: reconnects after any drop and resumes from the last id it saw."""
    while not run.done:
        headers = {"Origin": ORIGIN, "Authorization": f"Bearer {run.token}"}
        if run.deliveries:
            headers["Last-Event-ID"] = str(run.deliveries[-1][0])
        try:
            async with client.stream(
                "GET", f"{gateway}/v1/widget/threads/{run.thread_id}/stream", headers=headers
            ) as response:
                event_id, data = None, []
                async for line in response.aiter_lines():
                    if line.startswith("id:"):
                        event_id = int(line[3:].strip())
                    elif line.startswith("data:"):
                        data.append(line[5:].lstrip())
                    elif line == "" and data and event_id is not None:
                        run.deliveries.append((event_id, json.loads("\n".join(data))))
                        event_id, data = None, []
        except (TimeoutError, httpx.HTTPError):
            pass
        await asyncio.sleep(0.2)


async def script(
    client: httpx.AsyncClient,
    system: IsolatedSystem,
    staff_token: str,
    run: ThreadRun,
    rng: random.Random,
) -> None:
    gateway, inbox = system.url("gateway"), system.url("inbox")
    visitor_headers = {"Origin": ORIGIN, "Authorization": f"Bearer {run.token}"}
    staff_headers = {"Authorization": f"Bearer {staff_token}"}

    async def visitor_says(text: str) -> None:
        client_id = str(uuid.uuid4())
        response = await retrying(
            lambda: client.post(
                f"{gateway}/v1/widget/threads/{run.thread_id}/messages",
                json={"text": text, "client_message_id": client_id},
                headers=visitor_headers,
            ),
            accept=(202,),
        )
        run.accepted_visitor_ids.append(response.json()["message_id"])

    async def staff_does(path: str, body: dict[str, str] | None = None) -> None:
        await retrying(
            lambda: client.post(
                f"{inbox}/v1/threads/{run.thread_id}/{path}", json=body, headers=staff_headers
            ),
            accept=(202,),
        )

    await asyncio.sleep(rng.uniform(0, SPREAD_SECONDS))
    await visitor_says(rng.choice(QUESTIONS))
    if rng.random() < 0.7:
        await asyncio.sleep(rng.uniform(0, 0.4))  # often while the agent is composing
        await staff_does("messages", {"text": "Hi, a teammate here."})
        run.staff_replied = True
        await asyncio.sleep(rng.uniform(0, 0.3))
        await visitor_says(rng.choice(QUESTIONS))
        if rng.random() < 0.3:
            await asyncio.sleep(rng.uniform(0, 0.5))
            await staff_does("handback")
            run.handed_back = True
            await asyncio.sleep(rng.uniform(0, 0.3))
            await visitor_says(rng.choice(QUESTIONS))
    else:
        await asyncio.sleep(rng.uniform(0, 0.5))
        await visitor_says(rng.choice(QUESTIONS))


async def chaos(
    system: IsolatedSystem, rng: random.Random, stop: asyncio.Event, kills: list[str]
) -> None:
    victims: list[str] = []
    # Until told to stop, and through at least one full round (each service dies once).
    while not stop.is_set() or victims or len(set(kills)) < 3:
        await asyncio.sleep(rng.uniform(1.0, 3.0))
        if not victims:  # every service dies once per round, in a random order
            victims = rng.sample(["agent", "handoff", "gateway"], 3)
        victim = victims.pop()
        kills.append(victim)
        await asyncio.to_thread(system.kill, victim, signal.SIGKILL)
        await asyncio.sleep(rng.uniform(0, 0.5))
        system.start(victim)
        await asyncio.to_thread(system.wait_ready, victim)


async def run_race(
    system: IsolatedSystem, bot_key: str, staff_token: str
) -> tuple[list[ThreadRun], list[str]]:
    gateway = system.url("gateway")
    limits = httpx.Limits(max_connections=THREADS * 2 + 50, max_keepalive_connections=100)
    async with httpx.AsyncClient(timeout=httpx.Timeout(10.0, read=30.0), limits=limits) as client:
        runs = [ThreadRun() for _ in range(THREADS)]
        for run in runs:
            response = await retrying(
                lambda: client.post(
                    f"{gateway}/v1/widget/sessions",
                    json={"bot_key": bot_key, "visitor": {}},
                    headers={"Origin": ORIGIN},
                ),
                accept=(201,),
            )
            run.thread_id, run.token = (
                response.json()["thread_id"],
                response.json()["visitor_token"],
            )
        streams = [asyncio.create_task(follow_stream(client, gateway, run)) for run in runs]
        stop = asyncio.Event()
        kills: list[str] = []
        chaos_task = asyncio.create_task(chaos(system, random.Random(SEED + 1), stop, kills))
        await asyncio.gather(
            *(
                script(client, system, staff_token, run, random.Random(SEED + i + 2))
                for i, run in enumerate(runs)
            )
        )
        await asyncio.sleep(2)
        stop.set()
        await chaos_task
        # Let the system settle: every accepted visitor message reaches its stream.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if all(set(r.accepted_visitor_ids) <= {m["id"] for _, m in r.deliveries} for r in runs):
                break
            await asyncio.sleep(0.5)
        # Kills leave backlogs: wait until every consumer has worked through the whole log,
        # so that a missing answer means lost work, not a slow run.
        topic = f"{system.name}.conversation.events"
        groups = [f"{system.name}.{service}" for service in ("agent", "handoff", "gateway")]
        await wait_until_consumed(topic, groups, within_seconds=300)
        await asyncio.sleep(2)  # the last projections reach the streams
        for run in runs:
            run.done = True
        for task in streams:
            task.cancel()
        return runs, kills


def test_no_ai_after_staff_no_loss_no_duplicates_under_sigkill(
    race_system: tuple[IsolatedSystem, str, str],
) -> None:
    system, bot_key, staff_token = race_system
    runs, kills = asyncio.run(run_race(system, bot_key, staff_token))
    log = asyncio.run(read_topic(f"{system.name}.conversation.events"))
    print(f"race seed={SEED} threads={len(runs)} kills={Counter(kills)}")
    assert set(kills) == {"agent", "handoff", "gateway"}, f"too short a run: killed only {kills}"

    problems: list[str] = []
    for run in runs:
        delivered_ids = [m["id"] for _, m in run.deliveries]
        duplicates = [i for i, n in Counter(delivered_ids).items() if n > 1]
        if duplicates:
            problems.append(f"{run.thread_id}: delivered twice {duplicates}")
        lost = set(run.accepted_visitor_ids) - set(delivered_ids)
        if lost:
            problems.append(f"{run.thread_id}: visitor messages lost {lost}")
        positions = [p for p, _ in run.deliveries]
        if positions != sorted(positions):
            problems.append(f"{run.thread_id}: delivered out of order {positions}")

        events = log.get(run.thread_id, [])
        staff_positions = [p for p, e in events if isinstance(e, StaffReplied)]
        handback_positions = [
            p for p, e in events if isinstance(e, ThreadModeChanged) and e.mode is ThreadMode.AI
        ]
        for position, message in run.deliveries:
            if message["author"] != "ai":
                continue
            earlier_staff = [s for s in staff_positions if s < position]
            if earlier_staff and not any(
                max(earlier_staff) < h < position for h in handback_positions
            ):
                problems.append(
                    f"{run.thread_id}: AI message at {position} after staff message at {max(earlier_staff)}"
                )
        if not run.staff_replied and not any(m["author"] == "ai" for _, m in run.deliveries):
            problems.append(f"{run.thread_id}: AI-owned thread never got an answer")

    commits = sum(isinstance(e, AiReplyCommitted) for events in log.values() for _, e in events)
    staffed = sum(r.staff_replied for r in runs)
    print(f"threads with staff: {staffed}, AI commits in log: {commits}")
    assert not problems, "\n".join(problems[:30])
