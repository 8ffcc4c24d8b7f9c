"""A Prism mock server started from a spec on a free loopback port, and always stopped."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
PRISM = REPO / "node_modules" / ".bin" / "prism"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def prism(spec: Path, *, timeout: float = 60.0) -> Iterator[str]:
    """Yields the URL of a validating Prism mock of `spec`; the process group is killed on exit."""
    assert PRISM.exists(), "Prism is not installed: `make test` installs it with npm ci (see package.json)"
    port = free_port()
    log = (REPO / ".pytest-prism.log").open("w") if os.environ.get("CAREFORGE_PRISM_LOG") else subprocess.DEVNULL
    process = subprocess.Popen(
        [str(PRISM), "mock", "--host", "127.0.0.1", "--port", str(port), str(spec)],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            assert process.poll() is None, f"Prism exited with {process.returncode} while loading {spec.name}"
            with contextlib.suppress(httpx.TransportError):
                httpx.get(url + "/", timeout=1.0)
                break
            assert time.monotonic() < deadline, f"Prism did not start within {timeout} s for {spec.name}"
            time.sleep(0.2)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
