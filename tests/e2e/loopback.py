"""A real HTTP server on 127.0.0.1 that answers through a route function and records every request."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

REPO = Path(__file__).resolve().parents[2]


def use_generated(vendor: str) -> None:
    """Make generated/<vendor> importable (the package is tested in tree, as its own tests do)."""
    folder = str(REPO / "generated" / vendor)
    if folder not in sys.path:
        sys.path.insert(0, folder)


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    raw: bytes = b""  # the request exactly as it came: request line, header lines, body

    def json(self) -> Any:
        return json.loads(self.body)

    def header_lines(self) -> list[bytes]:
        """The header lines as sent, in order, without their line ends."""
        head = self.raw.split(b"\r\n\r\n", 1)[0]
        return head.split(b"\r\n")[1:]


class _Recording(io.BufferedIOBase):
    """The connection's reader, keeping every byte read until taken."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._kept = bytearray()

    def readline(self, size: int | None = -1) -> bytes:
        line: bytes = self._inner.readline(size)
        self._kept += line
        return line

    def read(self, size: int | None = -1) -> bytes:
        data: bytes = self._inner.read(size)
        self._kept += data
        return data

    def close(self) -> None:
        self._inner.close()
        super().close()

    def take(self) -> bytes:
        kept, self._kept = bytes(self._kept), bytearray()
        return kept


@dataclass
class Answer:
    status: int
    body: Any = None  # JSON-encoded unless bytes
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


Route = Callable[["Server", Seen], Answer]


@dataclass
class Server:
    base_url: str = ""
    seen: list[Seen] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)


@contextlib.contextmanager
def serve(route: Route) -> Iterator[Server]:
    server = Server()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            self.rfile = self.recording = _Recording(self.rfile)

        def _answer(self) -> None:
            parts = urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            request = Seen(self.command, parts.path, parse_qs(parts.query, keep_blank_values=True),
                           dict(self.headers.items()), body, self.recording.take())
            with lock:
                server.seen.append(request)
                answer = route(server, request)
            data = answer.body if isinstance(answer.body, bytes) else (
                b"" if answer.body is None else json.dumps(answer.body).encode())
            self.send_response(answer.status)
            if data:
                self.send_header("Content-Type", answer.content_type)
            for key, value in answer.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    server.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
