"""Fixtures for the runtime tests: packages generated from toy specs, a real server, sync and async clients.

Every test that takes `flavour` runs twice: with the generated sync client, and with the async client
driven on an event loop (`Blocking` runs each coroutine it returns), so one test body covers both.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import importlib.util
import ssl
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from ._clients import LIMITED_MODULE, TOY_MODULE, Flavour, Packages, generate_package
from ._server import Server, running
from ._specs import LIMITED, TOY


@pytest.fixture(scope="session", autouse=True)
def reuse_ssl_contexts() -> Iterator[None]:
    """httpx loads the CA bundle into a new SSL context for every client (~25 ms of CPU); the tests make
    hundreds of clients, so a context made for the same arguments is reused. What it verifies is unchanged."""
    module: Any = getattr(httpx, "_transports", None)
    module = getattr(module, "default", None)
    original = getattr(module, "create_ssl_context", None)
    if original is None:  # another httpx layout: nothing to speed up
        yield
        return
    made: dict[tuple[Any, ...], ssl.SSLContext] = {}

    @functools.wraps(original)
    def cached(verify: Any = True, cert: Any = None, trust_env: bool = True) -> ssl.SSLContext:
        if not isinstance(verify, bool) or cert is not None:
            return original(verify=verify, cert=cert, trust_env=trust_env)  # type: ignore[no-any-return]
        key = (verify, trust_env)
        if key not in made:
            made[key] = original(verify=verify, cert=cert, trust_env=trust_env)
        return made[key]

    module.create_ssl_context = cached
    try:
        yield
    finally:
        module.create_ssl_context = original


@pytest.fixture(scope="session", autouse=True)
def remember_sniffio_is_absent() -> Iterator[None]:
    """httpcore tries `import sniffio` for every async lock it makes; when sniffio is not installed, each try
    searches all of sys.path again. Recording the absence once gives httpcore the same answer (asyncio), fast."""
    if importlib.util.find_spec("sniffio") is not None or "sniffio" in sys.modules:
        yield
        return
    sys.modules["sniffio"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        del sys.modules["sniffio"]


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Packages]:
    root = tmp_path_factory.mktemp("runtime-packages")
    folders = [generate_package(root, TOY_MODULE, TOY), generate_package(root, LIMITED_MODULE, LIMITED)]
    sys.path[:0] = [str(f) for f in folders]
    try:
        yield Packages(importlib.import_module(TOY_MODULE), importlib.import_module(LIMITED_MODULE))
    finally:
        for folder in folders:
            sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n.split(".")[0] in (TOY_MODULE, LIMITED_MODULE)]:
            del sys.modules[name]


@pytest.fixture(scope="session")
def toy(packages: Packages) -> ModuleType:
    return packages.toy


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest, packages: Packages) -> Iterator[Flavour]:
    loop = asyncio.new_event_loop() if request.param == "async" else None
    chosen = Flavour(request.param, packages, loop)
    try:
        yield chosen
    finally:
        chosen.close_all()
        if loop is not None:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()


def _serve(host: str = "127.0.0.1") -> Iterator[Server]:
    with running(host) as server:
        yield server
    assert not server.live_threads(), "the test server left threads running"


@pytest.fixture
def server() -> Iterator[Server]:
    yield from _serve()


@pytest.fixture
def other_server() -> Iterator[Server]:
    """A second origin (another port on loopback)."""
    yield from _serve()


@pytest.fixture
def remote_server() -> Iterator[Server]:
    """A server on 127.0.0.2: loopback in fact, but not an address the runtime treats as local."""
    yield from _serve("127.0.0.2")
