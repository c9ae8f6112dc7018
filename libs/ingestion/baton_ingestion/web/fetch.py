"""A polite HTTP client for crawling: robots.txt obeyed, few requests at once, bounded bodies.

One client per ingest job. robots.txt is read once per host: a missing one (4xx) allows all;
401/403 or a server error disallows all, as the robots.txt standard (RFC 9309) asks. Every
connection, redirect hops included, goes to a public address only (`guard.py`), unless the
deployment allows private ones.
"""

import asyncio
import time
import urllib.robotparser
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from baton_ingestion.web.addresses import AddressRefused
from baton_ingestion.web.guard import GuardedNetwork, GuardedTransport

USER_AGENT = "BatonBot/0.1 (+https://github.com/baton; help-center ingest)"
ROBOTS_AGENT = "BatonBot"
MAX_CRAWL_DELAY_SECONDS = 10.0
DISALLOWED = "disallowed by robots.txt"


class FetchError(Exception):
    """A page that could not be fetched; the message is for the person reading the report."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    body: bytes


def site_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class PoliteClient:
    def __init__(
        self,
        *,
        concurrency: int = 4,
        timeout_seconds: float = 15.0,
        max_bytes: int = 30 << 20,
        allow_private_urls: bool = False,
        network: GuardedNetwork | None = None,  # tests: a fake resolver and network
    ) -> None:
        network = network or GuardedNetwork(allow_private=allow_private_urls)
        self._client = httpx.AsyncClient(
            headers={"User-Agent": USER_AGENT},
            timeout=timeout_seconds,
            follow_redirects=True,
            max_redirects=5,
            transport=GuardedTransport(network),
        )
        self._slots = asyncio.Semaphore(concurrency)
        self._max_bytes = max_bytes
        self._robots: dict[str, Robots] = {}
        self._robots_lock = asyncio.Lock()
        self._last_request: dict[str, float] = {}
        self._host_locks: dict[str, asyncio.Lock] = {}

    async def aclose(self) -> None:
        await self._client.aclose()

    async def refusal(self, url: str) -> str | None:
        """Why the crawler must not fetch `url`, or None when it may."""
        rules = await self._rules(site_of(url))
        return None if rules.allows(url) else rules.refusal

    async def fetch(self, url: str) -> Fetched:
        site = site_of(url)
        rules = await self._rules(site)
        delay = rules.crawl_delay()
        async with self._slots:
            if delay:
                # A crawl delay means one request at a time to that host, spaced out.
                async with self._host_locks.setdefault(site, asyncio.Lock()):
                    wait = self._last_request.get(site, 0.0) + delay - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    self._last_request[site] = time.monotonic()
                    return await self._get(url)
            return await self._get(url)

    async def _get(self, url: str) -> Fetched:
        try:
            async with self._client.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code}", status=response.status_code)
                body = bytearray()
                async for part in response.aiter_bytes():
                    body += part
                    if len(body) > self._max_bytes:
                        raise FetchError(f"larger than {self._max_bytes >> 20} MB")
                return Fetched(
                    str(response.url), response.headers.get("content-type", ""), bytes(body)
                )
        except AddressRefused as exc:
            raise FetchError(str(exc)) from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot fetch: {type(exc).__name__} {exc}".strip()) from exc

    async def _rules(self, site: str) -> "Robots":
        async with self._robots_lock:
            rules = self._robots.get(site)
            if rules is None:
                rules = await self._load_robots(site)
                self._robots[site] = rules
            return rules

    async def _load_robots(self, site: str) -> "Robots":
        try:
            response = await self._client.get(f"{site}/robots.txt")
        except AddressRefused as exc:
            return Robots(allow=False, refusal=str(exc))  # so every page of the site says why
        except httpx.HTTPError as exc:
            # Unreachable: RFC 9309 says assume all disallowed; the report says why.
            return Robots(allow=False, refusal=f"site unreachable: {type(exc).__name__}")
        if response.status_code in (401, 403) or response.status_code >= 500:
            return Robots(allow=False, refusal=f"robots.txt answered HTTP {response.status_code}")
        if response.status_code >= 400:
            return Robots(allow=True)
        parser = urllib.robotparser.RobotFileParser(f"{site}/robots.txt")
        parser.parse(response.text[:500_000].splitlines())
        return Robots(allow=True, parser=parser)


@dataclass(frozen=True)
class Robots:
    """A site's robots.txt rules for Baton's crawler."""

    allow: bool
    parser: urllib.robotparser.RobotFileParser | None = None
    refusal: str = DISALLOWED

    def allows(self, url: str) -> bool:
        if self.parser is None:
            return self.allow
        return self.parser.can_fetch(ROBOTS_AGENT, url)

    def crawl_delay(self) -> float:
        delay = self.parser.crawl_delay(ROBOTS_AGENT) if self.parser else None
        return min(float(delay or 0), MAX_CRAWL_DELAY_SECONDS)
