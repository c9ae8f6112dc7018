"""A lean HTTP/1.1 client for the bench's simulated visitors, on asyncio streams.

Why not httpx: the visitors run in the bench's one process on the stack's own cores, where
browsers never are. With httpx they took ~17 ms of CPU per answer (`tests.bench.cpu_per_answer`
reports it), a fifth of the whole stack's, and their event loop's lag was counted as answer
latency. This client does what the widget's requests need and no more: keep-alive connections
from one source address, JSON bodies, a fixed-length or chunked response, and a streamed
chunked body read line by line (Server-Sent Events).
"""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

MAX_HEADER_BYTES = 64 * 1024


class HttpError(Exception):
    """The request failed: refused, reset, timed out, or answered with an error status."""


class HttpStatusError(HttpError):
    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(f"HTTP {status}: {body[:200]!r}")
        self.status = status


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def raise_for_status(self) -> "Response":
        if self.status >= 400:
            raise HttpStatusError(self.status, self.body)
        return self


@dataclass(eq=False)  # kept in a set by identity
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter

    def close(self) -> None:
        self.writer.close()


def _request_bytes(
    method: str, target: str, host: str, headers: dict[str, str], body: bytes
) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    """Status code and headers (names lower-cased) of a response head."""
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise HttpError(f"not an HTTP/1.x response: {status_line!r}")
    headers: dict[str, str] = {}
    for line in header_lines:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    return int(parts[1]), headers


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.LimitOverrunError as exc:
        raise HttpError("response head too large") from exc
    return parse_head(head[:-4])


async def chunks(reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
    """The pieces of a chunked body, as they come, until its last chunk."""
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            await reader.readuntil(b"\r\n")  # no trailers are sent to the bench
            return
        data = await reader.readexactly(size + 2)
        yield data[:-2]


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if "content-length" in headers:
        return await reader.readexactly(int(headers["content-length"]))
    if headers.get("transfer-encoding", "").lower() == "chunked":
        return b"".join([piece async for piece in chunks(reader)])
    return await reader.read()  # delimited by the connection's end


class LeanClient:
    """Requests to one origin from one source address, over a pool of kept connections."""

    def __init__(self, base_url: str, source_address: str, timeout_s: float = 15.0) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or parts.hostname is None:
            raise ValueError(f"{base_url}: the lean client speaks plain http only")
        self._host = parts.hostname
        self._port = parts.port or 80
        self._host_header = parts.netloc
        self._source = source_address
        self._timeout_s = timeout_s
        self._idle: list[_Connection] = []
        self._streams: set[_Connection] = set()

    async def _connect(self) -> _Connection:
        reader, writer = await asyncio.open_connection(
            self._host, self._port, local_addr=(self._source, 0), limit=MAX_HEADER_BYTES
        )
        return _Connection(reader, writer)

    async def request(
        self, method: str, path: str, *, headers: dict[str, str], json_body: Any = None
    ) -> Response:
        body = b"" if json_body is None else json.dumps(json_body).encode()
        sent_headers = {**headers, **({"Content-Type": "application/json"} if body else {})}
        data = _request_bytes(method, path, self._host_header, sent_headers, body)
        try:
            async with asyncio.timeout(self._timeout_s):
                return await self._exchange(data)
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
            raise HttpError(f"{method} {path}: {exc!r}") from exc

    async def _exchange(self, data: bytes) -> Response:
        kept = self._idle.pop() if self._idle else None
        if kept is not None:
            try:
                return await self._on(kept, data)
            except (OSError, asyncio.IncompleteReadError):
                # The server closed the kept connection (its keep-alive ran out) before it read
                # this request: the widget's requests are safe to repeat (client message ids).
                kept.close()
        return await self._on(await self._connect(), data)

    async def _on(self, connection: _Connection, data: bytes) -> Response:
        connection.writer.write(data)
        await connection.writer.drain()
        status, headers = await _read_head(connection.reader)
        body = await _read_body(connection.reader, headers)
        if headers.get("connection", "").lower() == "close":
            connection.close()
        else:
            self._idle.append(connection)
        return Response(status, headers, body)

    @contextlib.asynccontextmanager
    async def stream_lines(
        self, path: str, *, headers: dict[str, str]
    ) -> AsyncIterator[AsyncIterator[str]]:
        """A GET whose body is read line by line as it comes, on a connection of its own."""
        data = _request_bytes("GET", path, self._host_header, headers, b"")
        try:
            async with asyncio.timeout(self._timeout_s):
                connection = await self._connect()
                connection.writer.write(data)
                await connection.writer.drain()
                status, response_headers = await _read_head(connection.reader)
        except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
            raise HttpError(f"GET {path}: {exc!r}") from exc
        self._streams.add(connection)
        try:
            if status >= 400:
                raise HttpStatusError(status, await _read_body(connection.reader, response_headers))
            yield _lines(connection.reader, response_headers)
        finally:
            self._streams.discard(connection)
            connection.close()

    async def aclose(self) -> None:
        for connection in (*self._idle, *self._streams):
            connection.close()
        self._idle.clear()


async def _lines(reader: asyncio.StreamReader, headers: dict[str, str]) -> AsyncIterator[str]:
    pieces: AsyncIterator[bytes]
    if headers.get("transfer-encoding", "").lower() == "chunked":
        pieces = chunks(reader)
    else:
        pieces = _until_closed(reader)
    pending = b""
    try:
        async for piece in pieces:
            pending += piece
            *complete, pending = pending.split(b"\n")
            for line in complete:
                yield line.rstrip(b"\r").decode()
    except (OSError, asyncio.IncompleteReadError) as exc:
        raise HttpError(f"stream ended: {exc!r}") from exc


async def _until_closed(reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
    while piece := await reader.read(65536):
        yield piece
