"""Peak memory while a generated client uploads a large file and streams a large download to disk.

    python -m bench.files_memory [--megabytes 100]

Generates a small package (a raw upload and a download operation) into a scratch folder, serves it on
loopback with a server that reads request bodies into nothing and answers downloads in chunks, and
prints one JSON document: VmRSS before and VmHWM (the high-water mark) after each step, in MiB, for the
sync and the async client. Flat means the high-water mark does not grow with the file's size.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SPEC = """\
openapi: 3.1.0
info: {title: Big files, version: "1"}
servers: [{url: https://big.example.test}]
tags: [{name: blobs, description: Blobs.}]
paths:
  /blob:
    put:
      operationId: blobs_upload
      tags: [blobs]
      requestBody:
        required: true
        content:
          application/octet-stream: {}
      responses:
        "204": {description: stored}
    get:
      operationId: blobs_download
      tags: [blobs]
      responses:
        "200":
          description: the blob
          content:
            application/octet-stream: {}
"""
CHUNK = 1 << 20


def _mib(field: str) -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> None:
    """Linux: writing 5 to clear_refs resets VmHWM to the current RSS, so each step has its own peak."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


def _server(size: int) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
            pass

        def do_PUT(self) -> None:
            left = int(self.headers.get("Content-Length") or 0)
            while left:
                left -= len(self.rfile.read(min(left, CHUNK)))
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            block = b"\xab" * CHUNK
            left = size
            while left:
                self.wfile.write(block[:min(left, CHUNK)])
                left -= min(left, CHUNK)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _step(results: dict[str, Any], name: str, run: Callable[[], None]) -> None:
    _reset_peak()
    before = _mib("VmRSS")
    run()
    results[name] = {"rss_before_mib": round(before, 1), "peak_mib": round(_mib("VmHWM"), 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=100)
    size = parser.parse_args().megabytes * CHUNK
    with tempfile.TemporaryDirectory(prefix="bench-files-") as scratch:
        folder = Path(scratch)
        (folder / "big.yaml").write_text(SPEC, encoding="utf-8")
        subprocess.run([sys.executable, "-m", "generator", "generate", str(folder / "big.yaml"), "--out",
                        str(folder / "pkg"), "--package", "bench_big_client", "-q"], check=True)
        sys.path.insert(0, str(folder / "pkg"))
        package = importlib.import_module("bench_big_client")
        blob = folder / "blob.bin"
        with open(blob, "wb") as out:
            for _ in range(size // CHUNK):
                out.write(os.urandom(CHUNK))
        server, url = _server(size)
        results: dict[str, Any] = {"megabytes": size // CHUNK}
        client = package.BigFiles(base_url=url, timeout=120)
        _step(results, "sync upload from a path", lambda: client.blobs.upload(body=blob))
        with open(blob, "rb") as opened:
            _step(results, "sync upload from an open file", lambda: client.blobs.upload(body=opened))

        def download() -> None:
            with client.with_streaming_response.blobs.download() as response:
                response.stream_to_file(folder / "down.bin")

        _step(results, "sync streamed download to a file", download)

        async def async_upload() -> None:
            async with package.AsyncBigFiles(base_url=url, timeout=120) as aclient:
                await aclient.blobs.upload(body=blob)

        _step(results, "async upload from a path", lambda: asyncio.run(async_upload()))
        # Last: the whole body in memory, for comparison (it raises the high-water mark for good).
        _step(results, "sync plain download (whole body in memory)", lambda: None if client.blobs.download() else None)
        client.close()
        server.shutdown()
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
