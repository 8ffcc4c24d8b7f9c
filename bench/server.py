"""A fast loopback HTTP/1.1 server for the request and memory benchmarks (raw asyncio protocol).

    python bench/server.py [--items N] [--page-size N]

Listens on 127.0.0.1 on a free port, prints `PORT <n>` on its first line, and serves until its
stdin pipe closes (so it never outlives the benchmark that started it) or 15 minutes have passed.

    GET /items/<id>            -> 200, one fixed JSON item (keep-alive)
    GET /items?cursor=<k>      -> 200, page k of N items, `next` links to page k+1 (null on the last)

Anything else is a 404. Requests are parsed just enough to find the path; bodies are not expected.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import stat
import sys
import threading

ITEM = json.dumps({"id": "42", "name": "widget", "price": 9.5, "tags": ["a", "b"]}).encode()
MAX_LIFETIME = 900.0


def _response(body: bytes, status: bytes = b"200 OK") -> bytes:
    return (b"HTTP/1.1 " + status + b"\r\ncontent-type: application/json\r\ncontent-length: "
            + str(len(body)).encode() + b"\r\n\r\n" + body)


class Pages:
    """Page bodies are built on first use and cached (a run reads each page at most a few times)."""

    def __init__(self, total: int, size: int) -> None:
        self.total, self.size = total, size
        self.count = (total + size - 1) // size
        self._cache: dict[int, bytes] = {}

    def get(self, cursor: int) -> bytes:
        cached = self._cache.get(cursor)
        if cached is not None:
            return cached
        start = cursor * self.size
        stop = min(start + self.size, self.total)
        items = ",".join(
            '{"id":"%d","name":"item %d","price":%d.5,"tags":["t%d","bench"]}' % (i, i, i % 1000, i % 7)
            for i in range(start, stop)
        )
        following = "null" if cursor + 1 >= self.count else '"/items?cursor=%d"' % (cursor + 1)
        body = _response(('{"data":[%s],"next":%s}' % (items, following)).encode())
        self._cache[cursor] = body
        return body


class Protocol(asyncio.Protocol):
    def __init__(self, pages: Pages) -> None:
        self.pages = pages
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head, self.buffer = self.buffer[:end], self.buffer[end + 4:]
            line = head.split(b"\r\n", 1)[0]
            parts = line.split(b" ")
            target = parts[1] if len(parts) > 1 else b"/"
            assert self.transport is not None
            self.transport.write(self._answer(target))

    def _answer(self, target: bytes) -> bytes:
        path, _, query = target.partition(b"?")
        if path.startswith(b"/items/"):
            return _ITEM_RESPONSE
        if path == b"/items":
            cursor = 0
            for pair in query.split(b"&"):
                key, _, value = pair.partition(b"=")
                if key == b"cursor" and value.isdigit():
                    cursor = int(value)
            if cursor < self.pages.count:
                return self.pages.get(cursor)
        return _response(b'{"detail":"not found"}', b"404 Not Found")


_ITEM_RESPONSE = _response(ITEM)


async def _serve(items: int, page_size: int) -> None:
    loop = asyncio.get_running_loop()
    pages = Pages(items, page_size)
    server = await loop.create_server(lambda: Protocol(pages), "127.0.0.1", 0, backlog=512)
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    stdin_closed = loop.create_future()

    def watch_stdin() -> None:  # in a thread: returns when the parent closes the pipe or exits
        while sys.stdin.buffer.read1(4096):
            pass
        loop.call_soon_threadsafe(lambda: stdin_closed.done() or stdin_closed.set_result(None))

    if stat.S_ISFIFO(os.fstat(sys.stdin.fileno()).st_mode):
        threading.Thread(target=watch_stdin, daemon=True).start()
    try:
        await asyncio.wait_for(stdin_closed, MAX_LIFETIME)
    except asyncio.TimeoutError:
        pass
    server.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()
    asyncio.run(_serve(args.items, args.page_size))


if __name__ == "__main__":
    main()
