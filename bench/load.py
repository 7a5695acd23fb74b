"""A small HTTP/1.1 load generator for bench/serving.py: N clients in one asyncio loop, each
with its own connection (kept alive when the server allows it, else opened anew, as a
gunicorn sync worker answers `Connection: close`), timing every request.

asyncio streams rather than threads with http.client: the generator shares the machine's
two cores with the server it measures, and one event loop costs less than 20 threads
fighting over the GIL.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field


class BadResponse(RuntimeError):
    pass


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


class Connection:
    """One client's connection to 127.0.0.1:port; reconnects when the server closes it."""

    def __init__(self, port: int, cookies: dict[str, str]):
        self.port = port
        self.cookies = cookies
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Response:
        reused = self.writer is not None
        try:
            return await self._exchange(method, path, body, headers or {})
        except (ConnectionError, asyncio.IncompleteReadError):
            self.close()
            if not reused:
                raise
            # A kept-alive connection the server had closed meanwhile: once more, afresh.
            return await self._exchange(method, path, body, headers or {})

    async def _exchange(self, method, path, body, headers) -> Response:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        host = f"127.0.0.1:{self.port}"
        lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Accept-Language: da"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
                f"Origin: http://{host}",
                f"Referer: http://{host}{path}",
            ]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        version, status = status_line.split(" ", 2)[:2]
        response_headers: dict[str, str] = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                name = name.strip().lower()
                value = value.strip()
                # Several Set-Cookie lines: keep them all, one per line.
                prior = response_headers.get(name)
                response_headers[name] = f"{prior}\n{value}" if prior else value
        payload = await self._body(response_headers)
        if response_headers.get("connection", "").lower() == "close" or version == "HTTP/1.0":
            self.close()
        return Response(int(status), response_headers, payload)

    async def _body(self, headers: dict[str, str]) -> bytes:
        if "content-length" in headers:
            return await self.reader.readexactly(int(headers["content-length"]))
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    return b"".join(chunks)
                chunks.append(chunk[:-2])
        body = await self.reader.read()  # no length: the body ends with the connection
        self.close()
        return body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


# One request of a scenario: (client number, its n-th request) -> raises BadResponse if the
# answer is not the one the scenario expects.
Step = Callable[[Connection, int, int], Awaitable[None]]


@dataclass
class Result:
    label: str
    latencies: list[float] = field(default_factory=list)  # seconds, one per request
    elapsed: float = 0.0
    # This process's CPU seconds over the run: the clients share the cores with the server,
    # and a generator near a core's worth of time bounds the rate it can measure.
    client_cpu: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def client_load(self) -> float:
        """The load generator's CPU time as a share of one core."""
        return self.client_cpu / self.elapsed if self.elapsed else 0.0

    @property
    def rate(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: int) -> float:
        """The p-th percentile in ms."""
        if len(self.latencies) < 2:
            return 1000 * (self.latencies[0] if self.latencies else 0.0)
        return 1000 * statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]


async def _run(
    label: str,
    connections: list[Connection],
    step: Step,
    warmup: float,
    duration: float,
) -> Result:
    result = Result(label)
    counters = [0] * len(connections)

    async def client(number: int, until: float, record: bool) -> None:
        connection = connections[number]
        while time.perf_counter() < until:
            start = time.perf_counter()
            await step(connection, number, counters[number])
            if record:
                result.latencies.append(time.perf_counter() - start)
            counters[number] += 1

    if warmup:
        until = time.perf_counter() + warmup
        await asyncio.gather(*(client(n, until, False) for n in range(len(connections))))
    start, cpu = time.perf_counter(), time.process_time()
    until = start + duration
    # Bounded: every client starts its last request before `until`; the run ends when the
    # last of them is answered, and the rate counts that time too.
    await asyncio.gather(*(client(n, until, True) for n in range(len(connections))))
    result.elapsed = time.perf_counter() - start
    result.client_cpu = time.process_time() - cpu
    for connection in connections:
        connection.close()
    return result


def run(
    label: str,
    connections: list[Connection],
    step: Step,
    warmup: float,
    duration: float,
) -> Result:
    """`len(connections)` clients making `step` requests back to back for `duration` s
    (after `warmup` s not counted)."""
    return asyncio.run(_run(label, connections, step, warmup, duration))


def fetch(port: int, cookies: dict[str, str], path: str) -> Response:
    """One GET outside a measured run (setting up, checking)."""

    async def once() -> Response:
        connection = Connection(port, cookies)
        try:
            return await connection.request("GET", path)
        finally:
            connection.close()

    return asyncio.run(once())
