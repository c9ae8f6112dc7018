"""The crawler connects to public addresses only: which addresses are public, and that the
check holds for the address actually connected to, on every connection and redirect hop.

A fake resolver and a fake network stand in for DNS and the internet, so hosts can resolve to
public addresses without leaving the machine.
"""

import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

import httpcore
import pytest

from baton_ingestion.web.addresses import non_public_kind
from baton_ingestion.web.crawl import CrawlState, read_urls
from baton_ingestion.web.fetch import FetchError, PoliteClient
from baton_ingestion.web.guard import GuardedNetwork

PUBLIC = "93.184.216.34"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "a loopback address"),
        ("127.8.9.10", "a loopback address"),
        ("10.0.0.5", "a private address"),
        ("172.16.0.1", "a private address"),
        ("192.168.1.1", "a private address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("169.254.1.1", "a link-local address"),
        ("224.0.0.1", "a multicast address"),
        ("240.0.0.1", "a reserved address"),
        ("0.0.0.0", "an unspecified address"),
        ("100.64.0.1", "not a public address"),  # carrier-grade NAT
        ("::1", "a loopback address"),
        ("::", "an unspecified address"),
        ("fe80::1", "a link-local address"),
        ("fe80::1%eth0", "a link-local address"),
        ("fd12:3456::1", "a private address"),
        ("fd00:ec2::254", "a cloud metadata address"),
        ("ff02::1", "a multicast address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("::ffff:10.0.0.5", "a private address"),
        ("::ffff:169.254.169.254", "a cloud metadata address"),
        ("64:ff9b::a00:5", "a private address"),  # NAT64 of 10.0.0.5
        ("2002:a00:5::1", "a private address"),  # 6to4 of 10.0.0.5
        ("2001:db8::1", "a private address"),  # documentation
    ],
)
def test_non_public_addresses_are_named(address: str, kind: str) -> None:
    assert non_public_kind(address) == kind


@pytest.mark.parametrize(
    "address",
    [PUBLIC, "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"],
)
def test_public_addresses_pass(address: str) -> None:
    assert non_public_kind(address) is None


def answer(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


HTML = {"Content-Type": "text/html"}


class FakeStream(httpcore.AsyncNetworkStream):
    def __init__(self, site: dict[str, bytes], requests: list[bytes]) -> None:
        self._site, self._requests = site, requests
        self._request, self._response = b"", b""

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:  # noqa: ASYNC109
        self._request += buffer
        if b"\r\n\r\n" in self._request and not self._response:
            self._requests.append(self._request)
            path = self._request.split(b" ", 2)[1].decode()
            self._response = self._site.get(path, answer(404))

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:  # noqa: ASYNC109
        chunk, self._response = self._response[:max_bytes], self._response[max_bytes:]
        return chunk

    async def aclose(self) -> None:
        pass


class FakeInternet(httpcore.AsyncNetworkBackend):
    """Sites by address (path -> raw answer); records every address connected to."""

    def __init__(self, sites: dict[str, dict[str, bytes]]) -> None:
        self.sites = sites
        self.connected: list[str] = []
        self.requests: list[bytes] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.connected.append(host)
        if host not in self.sites:
            raise httpcore.ConnectError("connection refused")
        return FakeStream(self.sites[host], self.requests)

    async def sleep(self, seconds: float) -> None:
        pass


class FakeDns:
    """Each name answers its list of answers in turn, the last one from then on; an address
    answers itself, as getaddrinfo does."""

    def __init__(self, names: dict[str, list[list[str]]]) -> None:
        self.names = names

    async def __call__(self, host: str, port: int) -> list[str]:
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        if host not in self.names:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        answers = self.names[host]
        return answers.pop(0) if len(answers) > 1 else answers[0]


def client(
    dns: dict[str, list[list[str]]], internet: FakeInternet, *, allow_private: bool = False
) -> PoliteClient:
    network = GuardedNetwork(allow_private=allow_private, resolver=FakeDns(dns), network=internet)
    return PoliteClient(network=network)


async def test_the_connection_goes_to_the_checked_address_with_the_sites_name() -> None:
    internet = FakeInternet({PUBLIC: {"/docs/": answer(200, b"<p>hi</p>", HTML)}})
    crawler = client({"help.example": [[PUBLIC]]}, internet)
    fetched = await crawler.fetch("http://help.example/docs/")
    await crawler.aclose()
    assert fetched.body == b"<p>hi</p>"
    assert internet.connected == [PUBLIC, PUBLIC]  # robots.txt, then the page
    assert all(b"\r\nHost: help.example\r\n" in request for request in internet.requests)


async def test_every_page_of_a_private_host_is_refused_without_connecting() -> None:
    internet = FakeInternet({"10.0.0.5": {"/": answer(200, b"secret", HTML)}})
    crawler = client({"intranet.example": [["10.0.0.5"]]}, internet)
    urls = ["http://intranet.example/a.html", "http://intranet.example/b.html"]
    pages = [page async for page in read_urls(crawler, urls, CrawlState(max_pages=10))]
    await crawler.aclose()
    refusal = "refused: intranet.example resolves to 10.0.0.5, a private address"
    assert [(page.source, page.error) for page in pages] == [(url, refusal) for url in urls]
    assert internet.connected == []


@pytest.mark.parametrize(
    ("location", "refusal"),
    [
        (
            "http://intranet.example/admin",
            "refused: intranet.example resolves to 10.0.0.5, a private address",
        ),
        (
            "http://169.254.169.254/latest/meta-data/",
            "refused: 169.254.169.254 is a cloud metadata address",
        ),
        ("http://[::ffff:127.0.0.1]:8080/", "refused: ::ffff:127.0.0.1 is a loopback address"),
    ],
)
async def test_a_redirect_to_a_non_public_address_is_refused(location: str, refusal: str) -> None:
    public_site = {"/docs/old": answer(301, headers={"Location": location})}
    internet = FakeInternet({PUBLIC: public_site, "10.0.0.5": {}, "169.254.169.254": {}})
    crawler = client({"help.example": [[PUBLIC]], "intranet.example": [["10.0.0.5"]]}, internet)
    with pytest.raises(FetchError) as refused:
        await crawler.fetch("http://help.example/docs/old")
    await crawler.aclose()
    assert str(refused.value) == refusal
    assert internet.connected == [PUBLIC, PUBLIC]  # robots.txt and the first hop only


async def test_a_name_that_turns_private_after_a_first_check_is_refused_dns_rebinding() -> None:
    internet = FakeInternet({PUBLIC: {}, "127.0.0.1": {"/": answer(200, b"admin", HTML)}})
    crawler = client({"rebind.example": [[PUBLIC], ["127.0.0.1"]]}, internet)
    with pytest.raises(FetchError) as refused:
        await crawler.fetch("http://rebind.example/")  # robots.txt from PUBLIC, then rebinds
    await crawler.aclose()
    assert str(refused.value) == "refused: rebind.example resolves to 127.0.0.1, a loopback address"
    assert internet.connected == [PUBLIC]


async def test_a_name_with_one_private_address_among_public_ones_is_refused() -> None:
    internet = FakeInternet({PUBLIC: {"/": answer(200, b"x", HTML)}})
    crawler = client({"mixed.example": [[PUBLIC, "::ffff:169.254.169.254"]]}, internet)
    refusal = await crawler.refusal("http://mixed.example/")
    await crawler.aclose()
    assert refusal == (
        "refused: mixed.example resolves to ::ffff:169.254.169.254, a cloud metadata address"
    )
    assert internet.connected == []


async def test_allowing_private_addresses_lets_the_crawler_read_loopback() -> None:
    internet = FakeInternet({"127.0.0.1": {"/": answer(200, b"local", HTML)}})
    crawler = client({"localhost": [["127.0.0.1"]]}, internet, allow_private=True)
    fetched = await crawler.fetch("http://localhost/")
    await crawler.aclose()
    assert fetched.body == b"local" and internet.connected == ["127.0.0.1", "127.0.0.1"]


async def test_an_address_that_does_not_answer_gives_way_to_the_next() -> None:
    other = "93.184.216.35"
    internet = FakeInternet({other: {"/": answer(200, b"second", HTML)}})
    crawler = client({"help.example": [[PUBLIC, other]]}, internet)
    fetched = await crawler.fetch("http://help.example/")
    await crawler.aclose()
    assert fetched.body == b"second"
    assert internet.connected == [PUBLIC, other, PUBLIC, other]


async def test_a_name_that_does_not_resolve_is_unreachable_as_before() -> None:
    crawler = client({}, FakeInternet({}))
    refusal = await crawler.refusal("http://nowhere.example/")
    await crawler.aclose()
    assert refusal == "site unreachable: ConnectError"
