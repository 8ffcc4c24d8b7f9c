"""A real HTTP/1.1 server on loopback that answers from a script, records what it saw, and misbehaves on request.

Each route holds a list of replies (the last one repeats) or a function of the request. A reply can be
slow, cut short, or never come; the server counts the connections it holds open, so a test can see
whether the client closed them.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

SERVER_THREAD = "runtime-test-server"


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    at: float  # time.time() on arrival
    connection: int  # which connection it came on (1, 2, ...)

    @property
    def params(self) -> dict[str, str]:
        return dict(parse_qsl(self.query, keep_blank_values=True))

    @property
    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))


@dataclass(frozen=True)
class Reply:
    """What to answer. `json` wins over `body`; the flags make the server misbehave."""

    status: int = 200
    json: Any = None
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (cut short when the server stops)
    truncate: int | None = None  # send only this many bytes of the body, then close the connection
    drop: bool = False  # close the connection without answering

    def payload(self) -> bytes:
        return json.dumps(self.json).encode() if self.json is not None else self.body


Handler = Callable[[Seen], Reply]
Script = Reply | Handler


def ok(data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Reply:
    """A JSON answer."""
    return Reply(status=status, json=data, headers={"Content-Type": "application/json", **(headers or {})})


class _Routes:
    def __init__(self) -> None:
        self._scripts: dict[tuple[str, str], list[Script]] = {}
        self._lock = threading.Lock()

    def set(self, method: str, path: str, scripts: list[Script]) -> None:
        with self._lock:
            self._scripts[(method.upper(), path)] = list(scripts)

    def next(self, method: str, path: str) -> Script | None:
        with self._lock:
            queue = self._scripts.get((method, path))
            if not queue:
                return None
            return queue.pop(0) if len(queue) > 1 else queue[0]


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = False  # so server_close() joins every handler thread
    block_on_close = True
    request_queue_size = 128  # a burst of connections is accepted, not left to retry its SYN a second later
    owner: Server


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real API server does
    disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart
    timeout = 10  # an idle kept-alive connection cannot hold a handler thread (and the teardown) for ever
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.number = self.server.owner._opened(self.connection)
        if self.server.owner.connect_delay:  # as a TLS handshake would: a new connection is slow to start
            self.server.owner._stopping.wait(self.server.owner.connect_delay)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.owner._closed(self.connection)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass

    def do_GET(self) -> None:
        self._answer()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def _chunked(self) -> bytes:
        """A body sent with Transfer-Encoding: chunked (RFC 9112 7.1), put back together."""
        body = bytearray()
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip(), 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):  # trailer fields, then the blank line
                    pass
                return bytes(body)
            body += self.rfile.read(size)
            self.rfile.readline()  # the CRLF after each chunk

    def _answer(self) -> None:
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = self._chunked()
        else:
            body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        seen = Seen(self.command, parts.path, parts.query, {k.lower(): v for k, v in self.headers.items()}, body,
                    time.time(), self.number)
        owner._record(seen)
        script = owner._routes.next(self.command, parts.path)
        if script is None:
            reply = ok({"message": f"no route for {self.command} {parts.path}"}, status=404)
        else:
            reply = script if isinstance(script, Reply) else script(seen)
        if reply.delay and owner._stopping.wait(reply.delay):
            self.close_connection = True
            return
        if reply.drop:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        payload = reply.payload()
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload if reply.truncate is None else payload[: reply.truncate])
        self.wfile.flush()
        if reply.truncate is not None:
            self.close_connection = True


class Server:
    """The server of one test: `route()` scripts it, `requests` is what it saw."""

    def __init__(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        self._routes = _Routes()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._open: dict[int, socket.socket] = {}
        self._connections = 0
        self._threads: list[threading.Thread] = []
        self.connect_delay = 0.0  # seconds before a new connection's first request is read
        self.requests: list[Seen] = []
        self._http = _HTTPServer((host, 0), _Handler)
        self._http.owner = self
        if tls is not None:
            self._http.socket = tls.wrap_socket(self._http.socket, server_side=True)
        self.host = host
        self.port: int = self._http.server_address[1]
        self.url = f"{'https' if tls else 'http'}://{host}:{self.port}"
        self._thread = threading.Thread(target=self._http.serve_forever, kwargs={"poll_interval": 0.005},
                                        name=f"{SERVER_THREAD}:{self.port}")
        self._threads.append(self._thread)

    def route(self, method: str, path: str, *scripts: Script) -> None:
        """Answer METHOD PATH with these replies in turn (the last one repeats)."""
        self._routes.set(method, path, list(scripts))

    def seen(self, method: str | None = None, path: str | None = None) -> list[Seen]:
        with self._lock:
            return [r for r in self.requests
                    if (method is None or r.method == method) and (path is None or r.path == path)]

    def hits(self, method: str | None = None, path: str | None = None) -> int:
        return len(self.seen(method, path))

    @property
    def connections_opened(self) -> int:
        with self._lock:
            return self._connections

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._open)

    def wait_all_closed(self, timeout: float = 3.0) -> bool:
        """True once every connection the server accepted has been closed by the client."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.open_connections == 0:
                return True
            time.sleep(0.01)
        return self.open_connections == 0

    def _opened(self, sock: socket.socket) -> int:
        with self._lock:
            self._threads.append(threading.current_thread())
            self._connections += 1
            self._open[id(sock)] = sock
            return self._connections

    def _closed(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.pop(id(sock), None)

    def live_threads(self) -> list[threading.Thread]:
        """The server's own threads (its loop, one per connection) that are still running."""
        with self._lock:
            return [t for t in self._threads if t.is_alive()]

    def _record(self, seen: Seen) -> None:
        with self._lock:
            self.requests.append(seen)

    def start(self) -> Server:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._http.shutdown()
        with self._lock:
            still_open = list(self._open.values())
        for sock in still_open:  # a handler waiting on a kept-alive connection wakes up and ends
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._http.server_close()  # joins the handler threads
        self._thread.join(timeout=5)


@contextmanager
def running(host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> Iterator[Server]:
    server = Server(host, tls).start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def unresponsive_listener() -> Iterator[str]:
    """A port whose accept queue is full: a new connection is never established (a connect timeout)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(4):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


def closed_port() -> str:
    """The URL of a loopback port nothing listens on (connection refused)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}"


