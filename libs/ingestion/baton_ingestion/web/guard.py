"""An HTTP transport that connects only to public addresses.

httpx hands every new connection (the first request to a site, each redirect hop to another
origin, robots.txt) to a network backend with the URL's host name. `GuardedNetwork` resolves
that name once, refuses the connection if any address is not public, and connects to the
checked address itself; the name still goes into the Host header and TLS (SNI and the
certificate check), which httpx handles above this layer. So a name that resolves to a public
address for one check and a private one for the connection (DNS rebinding) gets nowhere.

No proxy is used (HTTP_PROXY would resolve names out of the guard's sight).
"""

import socket
from collections.abc import Awaitable, Callable, Iterable
from contextlib import nullcontext
from typing import Any

import anyio
import httpcore
import httpx

from baton_ingestion.web.addresses import AddressRefused, non_public_kind

Resolver = Callable[[str, int], Awaitable[list[str]]]


async def resolve(host: str, port: int) -> list[str]:
    """The addresses of `host`, in the resolver's order, without repeats."""
    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class GuardedNetwork(httpcore.AsyncNetworkBackend):
    def __init__(
        self,
        *,
        allow_private: bool = False,
        resolver: Resolver = resolve,
        network: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self._allow_private = allow_private
        self._resolve = resolver
        self._network = network or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._addresses(host, port, timeout)
        if not self._allow_private:
            # Every address, not only the one we would use first: a name that mixes public
            # and private answers is not a public site.
            for address in addresses:
                if (kind := non_public_kind(address)) is not None:
                    raise AddressRefused(host, address, kind)
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return await self._network.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure or httpcore.ConnectError(f"{host} has no address")

    async def _addresses(self, host: str, port: int, limit_seconds: float | None) -> list[str]:
        try:
            with anyio.fail_after(limit_seconds) if limit_seconds is not None else nullcontext():
                return await self._resolve(host, port)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from exc
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(str(exc)) from exc

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("the crawler connects to TCP addresses only")

    async def sleep(self, seconds: float) -> None:
        await self._network.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own HTTP transport (exceptions, streaming), on a `GuardedNetwork`."""

    def __init__(self, network: GuardedNetwork) -> None:
        super().__init__(trust_env=False)
        # httpx does not take a network backend: its pool is replaced by the same pool on ours.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=network,
        )
