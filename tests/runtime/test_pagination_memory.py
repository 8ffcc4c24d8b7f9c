"""Iterating many pages keeps memory flat: only the page being read is held.

tracemalloc's peak while iterating 100,000 items over 1,000 pages is compared with the peak for
10,000 items over 100 pages (same page size). Were items or pages kept, the ratio would be near 10;
it must stay under MAX_RATIO (what remains is noise: garbage collection timing and the like).
Times are not compared.

tracemalloc sees every thread of the process, so the pages come from a minimal keep-alive HTTP/1.1
server that allocates almost nothing per request (and makes the 1,100 requests cheaper to trace).
"""

from __future__ import annotations

import gc
import json
import socket
import threading
import tracemalloc
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from ._clients import Flavour

PER_PAGE = 100
MAX_RATIO = 2.0
ITEMS = json.dumps([{"id": str(i)} for i in range(PER_PAGE)]).encode()
ONE_ITEM = b'[{"id": "0"}]'


class PageServer:
    """GET /cases?cursor=N -> the same PER_PAGE items and a `?cursor=N+1` link, until `pages` pages were served."""

    def __init__(self) -> None:
        self.pages = 0
        self.items = ITEMS
        self.padding = b""  # added to each next link (a link over 64 bytes escapes pydantic's string cache)
        self.requests = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._stopping = threading.Event()
        self._connections: list[socket.socket] = []
        self._threads = [threading.Thread(target=self._accept, name="page-server")]
        self._threads[0].start()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._connections.append(connection)
            worker = threading.Thread(target=self._serve, args=(connection,), name="page-server-connection")
            self._threads.append(worker)
            worker.start()

    def _serve(self, connection: socket.socket) -> None:
        buffered = b""
        with connection:
            while True:
                while b"\r\n\r\n" not in buffered:
                    chunk = connection.recv(65536)
                    if not chunk:
                        return
                    buffered += chunk
                head, _, buffered = buffered.partition(b"\r\n\r\n")
                target = head.split(b" ", 2)[1]
                cursor = int(target.rpartition(b"cursor=")[2].split(b"&")[0]) if b"cursor=" in target else 0
                following = b'"?cursor=%d%s"' % (cursor + 1, self.padding) if cursor + 1 < self.pages else b"null"
                body = b'{"meta": {"next": ' + following + b'}, "objects": ' + self.items + b"}"
                self.requests += 1
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                                   % len(body) + body)

    def stop(self) -> None:
        self._stopping.set()
        for connection in self._connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()
        assert not [t for t in self._threads if t.is_alive()], "the page server left threads running"


@pytest.fixture
def page_server() -> Iterator[PageServer]:
    server = PageServer()
    try:
        yield server
    finally:
        server.stop()


def peak_while_iterating(flavour: Flavour, client: Any, server: PageServer, pages: int) -> int:
    server.pages = pages
    client.lists.cases().first_page()  # warm up: validators, the connection
    gc.collect()
    tracemalloc.start()
    try:
        count = flavour.count(client.lists.cases())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == pages * PER_PAGE
    return peak


def test_memory_stays_flat_over_a_thousand_pages(flavour: Flavour, page_server: PageServer) -> None:
    with flavour.toy(base_url=page_server.url) as client:
        small = peak_while_iterating(flavour, client, page_server, 100)
        large = peak_while_iterating(flavour, client, page_server, 1000)
    assert page_server.requests == 2 + 100 + 1000
    assert large <= small * MAX_RATIO, f"peak {small} B for 10k items, {large} B for 100k items"


def test_the_pager_holds_nothing_per_page_read(toy: ModuleType, page_server: PageServer) -> None:
    # Sync only: the next-page logic under test is shared by both pagers (_PagerBase._next).
    # One item a page, and links too long for pydantic's (bounded) string cache: what grows is the pager's.
    page_server.pages, page_server.items, page_server.padding = 2000, ONE_ITEM, b"&session=" + b"s" * 64
    with toy.Toy(base_url=page_server.url) as client:
        pages = client.lists.cases().pages()
        next(pages)
        tracemalloc.start()
        try:
            held: list[int] = []
            for stretch in (100, 1000):
                for _ in range(stretch):
                    next(pages)
                gc.collect()
                held.append(tracemalloc.get_traced_memory()[0])
        finally:
            tracemalloc.stop()
            pages.close()
    assert held[1] - held[0] < 40_000, f"{held[1] - held[0]} more bytes held after 1,000 more pages"
