"""The bench's lean HTTP client: response framing (fixed length, chunked, streamed lines),
kept connections reused, and a request repeated once when the kept connection was closed."""

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from tests.bench.load.lean_http import HttpError, HttpStatusError, LeanClient, parse_head
from tests.bench.load.sse import frames_of

Serve = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


class Server:
    """A loopback server answering each connection with `serve`; counts connections."""

    def __init__(self, serve: Serve) -> None:
        self.serve = serve
        self.connections = 0
        self.port = 0
        self._server: asyncio.Server | None = None

    async def _on_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.connections += 1
        try:
            await self.serve(reader, writer)
        finally:
            writer.close()

    async def __aenter__(self) -> "Server":
        self._server = await asyncio.start_server(self._on_connection, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()

    def client(self) -> LeanClient:
        return LeanClient(f"http://127.0.0.1:{self.port}", "127.0.0.1", timeout_s=5.0)


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        ),
        0,
    )
    return await reader.readexactly(length)


def fixed(status: int, body: bytes) -> bytes:
    return b"HTTP/1.1 %d X\r\nContent-Length: %d\r\n\r\n%s" % (status, len(body), body)


def answers_once(response: bytes) -> Serve:
    """Reads one request, sends `response`, then the connection is closed (by Server)."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(response)
        await writer.drain()

    return serve


def test_a_response_head_gives_status_and_lowercased_headers() -> None:
    status, headers = parse_head(
        b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-A: b"
    )
    assert status == 201
    assert headers == {"content-type": "application/json", "x-a": "b"}
    with pytest.raises(HttpError):
        parse_head(b"SSH-2.0-OpenSSH")


async def test_requests_reuse_one_kept_connection() -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                body = await read_request(reader)
            except asyncio.IncompleteReadError:
                return
            writer.write(fixed(200, b'{"echo": %s}' % body))
            await writer.drain()

    async with Server(serve) as server:
        client = server.client()
        for n in range(3):
            response = await client.request("POST", "/x", headers={}, json_body={"n": n})
            assert response.json() == {"echo": {"n": n}}
        await client.aclose()
    assert server.connections == 1


async def test_a_closed_kept_connection_is_replaced_once() -> None:
    # Closed after one answer, as a server's keep-alive timeout does.
    async with Server(answers_once(fixed(200, b"{}"))) as server:
        client = server.client()
        await client.request("GET", "/a", headers={})
        await asyncio.sleep(0.05)
        assert (await client.request("GET", "/b", headers={})).status == 200
        await client.aclose()
    assert server.connections == 2


async def test_an_error_status_is_raised_with_its_code() -> None:
    async with Server(answers_once(fixed(429, b'{"error": "slow down"}'))) as server:
        client = server.client()
        response = await client.request("POST", "/m", headers={}, json_body={})
        with pytest.raises(HttpStatusError) as raised:
            response.raise_for_status()
        assert raised.value.status == 429
        await client.aclose()


async def test_a_refused_connection_is_an_http_error() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        return None

    async with Server(silent) as server:
        port = server.port  # closed below: nothing listens there any more
    client = LeanClient(f"http://127.0.0.1:{port}", "127.0.0.1", timeout_s=2.0)
    with pytest.raises(HttpError):
        await client.request("GET", "/", headers={})


async def test_a_chunked_stream_gives_lines_across_chunk_boundaries() -> None:
    pieces = [b'id: 1\ndata: {"a"', b": 1}\n\n: keep-alive\n\nid: 2\nda", b'ta: {"b": 2}\n\n']

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        for piece in pieces:
            writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            await writer.drain()
            await asyncio.sleep(0.01)
        writer.write(b"0\r\n\r\n")
        await writer.drain()

    async with Server(serve) as server:
        client = server.client()
        async with client.stream_lines("/s", headers={}) as lines:
            frames = [frame async for frame in frames_of(lines)]
        await client.aclose()
    assert [(frame.event_id, frame.data) for frame in frames] == [("1", {"a": 1}), ("2", {"b": 2})]
