"""staff_to_visitor_ms and staff_to_staff_ms: while visitors load the stack, a teammate
replies in threads of its own; we time each reply until the visitor's stream shows it and
until a second teammate's inbox live stream shows it."""

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import structlog

from tests.bench.load import inbox_client
from tests.bench.load.addresses import AddressPool
from tests.bench.load.arrivals import Arrival, Arrivals
from tests.bench.load.histogram import LatencyHistogram
from tests.bench.load.questions import question
from tests.bench.load.schedule import run_on_schedule, spread_starts
from tests.bench.load.sse import sse_frames
from tests.bench.load.stack import Stack
from tests.bench.load.widget_client import WidgetVisitor

log = structlog.get_logger()


@dataclass(frozen=True)
class StaffPlan:
    # Started with the visitors and about as long as their 5 questions, so the replies meet
    # the load; each thread adds one AI question of its own before the teammate steps in.
    threads: int = 10
    replies_per_thread: int = 5
    pause_s: float = 1.0
    spread_s: float = 1.0
    wait_s: float = 15.0


@dataclass
class StaffLatencies:
    to_visitor: LatencyHistogram = field(default_factory=LatencyHistogram)
    to_staff: LatencyHistogram = field(default_factory=LatencyHistogram)
    missed: int = 0


class StaffStream:
    """A teammate's account-wide live stream; staff messages are awaited by id."""

    def __init__(self, client: httpx.AsyncClient, stack: Stack, token: str) -> None:
        self.messages = Arrivals()
        self._client, self._stack, self._token = client, stack, token
        self._reader: asyncio.Task[None] | None = None

    async def open(self) -> None:
        hello = asyncio.get_running_loop().create_future()
        self._reader = asyncio.create_task(self._read(hello))
        await asyncio.wait_for(hello, 15)

    async def _read(self, hello: asyncio.Future[None]) -> None:
        url = f"{self._stack.inbox_url}/v1/stream"
        timeout = httpx.Timeout(15.0, read=None)
        headers = inbox_client.bearer(self._token)
        try:
            async with self._client.stream(
                "GET", url, headers=headers, timeout=timeout
            ) as response:
                response.raise_for_status()
                async for frame in sse_frames(response):
                    if frame.event == "hello" and not hello.done():
                        hello.set_result(None)
                    message = frame.data.get("message") if frame.event == "change" else None
                    if isinstance(message, dict) and "id" in message:
                        self.messages.arrived(
                            str(message["id"]), Arrival(time.perf_counter(), message)
                        )
        except Exception as exc:
            if not hello.done():
                hello.set_exception(exc)
            else:
                log.warning("staff_stream_ended", error=repr(exc))

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader


@dataclass(frozen=True)
class Teammates:
    """The replying teammate's session and the second teammate's live stream."""

    client: httpx.AsyncClient
    stack: Stack
    owner_token: str
    watcher: StaffStream


def _record(
    histogram: LatencyHistogram, sent_at: float, seen: Arrival | None, wait_s: float
) -> bool:
    """Records the delay (a miss at the wait limit); returns whether it was seen."""
    histogram.record_ms(wait_s * 1000 if seen is None else (seen.received_at - sent_at) * 1000)
    return seen is not None


async def _replies_in_one_thread(
    team: Teammates, address: str, index: int, plan: StaffPlan, latencies: StaffLatencies
) -> None:
    visitor = WidgetVisitor.new(team.stack, address)
    try:
        await visitor.open()
        sent = await visitor.send(question(index, 0))
        await visitor.reply_to(sent, plan.wait_s)  # the AI answers first, as usual
        thread_id = visitor.thread_id
        if not await inbox_client.wait_for_thread(
            team.client, team.stack, team.owner_token, thread_id, plan.wait_s
        ):
            log.warning("thread_not_in_inbox", thread_id=thread_id)
            for _ in range(plan.replies_per_thread):
                for histogram in (latencies.to_visitor, latencies.to_staff):
                    latencies.missed += 0 if _record(histogram, 0.0, None, plan.wait_s) else 1
            return
        for turn in range(plan.replies_per_thread):
            sent_at = time.perf_counter()
            text = f"Hi, a teammate here ({turn + 1})."
            message_id = await inbox_client.reply(
                team.client, team.stack, team.owner_token, thread_id, text
            )
            seen_by_visitor = await visitor.messages.wait(message_id, plan.wait_s)
            seen_by_staff = await team.watcher.messages.wait(message_id, plan.wait_s)
            for histogram, seen in (
                (latencies.to_visitor, seen_by_visitor),
                (latencies.to_staff, seen_by_staff),
            ):
                latencies.missed += 0 if _record(histogram, sent_at, seen, plan.wait_s) else 1
            await asyncio.sleep(plan.pause_s)
    finally:
        await visitor.close()


async def measure_staff(
    stack: Stack, addresses: AddressPool, plan: StaffPlan, teammate_cache: Path
) -> StaffLatencies:
    latencies = StaffLatencies()
    async with httpx.AsyncClient(timeout=httpx.Timeout(15.0)) as client:
        owner = await inbox_client.log_in(client, stack, stack.staff_email, stack.staff_password)
        if owner is None:
            raise RuntimeError("the stack's staff login (run.json) was refused")
        watcher_token = await inbox_client.second_teammate(client, stack, owner, teammate_cache)
        team = Teammates(client, stack, owner, StaffStream(client, stack, watcher_token))
        await team.watcher.open()

        async def one_thread(index: int) -> None:
            await _replies_in_one_thread(team, addresses.take(), index, plan, latencies)

        per_thread_s = 3 * plan.wait_s + plan.replies_per_thread * (2 * plan.wait_s + plan.pause_s)
        try:
            await run_on_schedule(
                spread_starts(plan.threads, plan.spread_s), one_thread, plan.spread_s + per_thread_s
            )
        finally:
            await team.watcher.close()
    log.info(
        "staff_latency_done",
        to_visitor=latencies.to_visitor.summary(50, 99),
        to_staff=latencies.to_staff.summary(50, 99),
        missed=latencies.missed,
    )
    return latencies
