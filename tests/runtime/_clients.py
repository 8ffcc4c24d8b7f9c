"""Clients of the generated toy packages, sync or async, behind one interface for the tests."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import inspect
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from click.testing import CliRunner

from generator.cli import main

TOY_MODULE = "rt_toy_client"
LIMITED_MODULE = "rt_limited_client"

# Credentials used throughout; each is distinctive so a leak is easy to spot in any text.
SECRETS = {
    "api_key": "key-7f3a9c-SECRET",
    "api_secret": "hmac-44d1e0-SECRET",
    "username": "ann",
    "password": "pw-b8e21f-SECRET",
    "client_id": "client-ann",
    "client_secret": "oauth-9c0d77-SECRET",
}
TOKEN = "token-5e6f70-SECRET"


def generate_package(root: Path, name: str, spec: str) -> Path:
    """Write `spec` under `root` and generate its package in process (as `careforge generate SPEC --out DIR`)."""
    (root / f"{name}.yaml").write_text(spec, encoding="utf-8")
    out = root / name
    with contextlib.chdir(root):
        result = CliRunner().invoke(main, ["generate", f"{name}.yaml", "--out", str(out), "--package", name],
                                    catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return out


@dataclass(frozen=True)
class Packages:
    toy: ModuleType
    limited: ModuleType


class Blocking:
    """An async client object driven from plain code: every awaitable it returns is run on `loop`.

    Resources, pagers, long-running handles and async generators come back wrapped too, and
    iterating a wrapped pager pulls one item at a time, so laziness is kept.
    """

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._target = target
        self._loop = loop

    def _wrap(self, value: Any) -> Any:
        if inspect.isawaitable(value):
            value = self._loop.run_until_complete(value)
        module = type(value).__module__
        if inspect.isasyncgen(value) or (module.startswith("rt_") and (hasattr(value, "_client") or hasattr(value, "_http"))):
            return Blocking(value, self._loop)
        return value

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if callable(value) and not isinstance(value, type):
            def call(*args: Any, **kwargs: Any) -> Any:
                return self._wrap(value(*args, **kwargs))
            return call
        return self._wrap(value)

    def __iter__(self) -> Iterator[Any]:
        agen = self._target.__aiter__() if hasattr(self._target, "__aiter__") else self._target
        while True:
            try:
                yield self._wrap(self._loop.run_until_complete(agen.__anext__()))
            except StopAsyncIteration:
                return

    def __enter__(self) -> Blocking:
        entered = self._loop.run_until_complete(self._target.__aenter__())
        return Blocking(entered, self._loop)

    def __exit__(self, *exc: Any) -> None:
        self._loop.run_until_complete(self._target.__aexit__(*exc))

    def __repr__(self) -> str:
        return repr(self._target)


def raw(client: Any) -> Any:
    """The generated client object itself (unwrapped)."""
    return client._target if isinstance(client, Blocking) else client


@dataclass
class Flavour:
    """Makes sync or async clients of a generated package; records the sleeps they ask for."""

    name: str
    packages: Packages
    loop: asyncio.AbstractEventLoop | None
    sleeps: list[float] = field(default_factory=list)
    _made: list[Any] = field(default_factory=list)

    @property
    def is_async(self) -> bool:
        return self.loop is not None

    def _make(self, package: ModuleType, class_name: str, fast_sleep: bool, kwargs: dict[str, Any]) -> Any:
        kwargs.setdefault("max_retries", 2)
        cls = getattr(package, ("Async" + class_name) if self.is_async else class_name)
        client = cls(**kwargs)
        if fast_sleep:
            self.fast_sleep(client)
        self._made.append(client)
        return Blocking(client, self.loop) if self.loop is not None else client

    def fast_sleep(self, client: Any) -> None:
        """Record the delays the client asks for instead of waiting (backoff has no public knob)."""
        target = raw(client)
        sleeps = self.sleeps

        def sleep(delay: float) -> None:
            sleeps.append(delay)

        async def sleep_async(delay: float) -> None:
            sleeps.append(delay)

        target._sleep_sync = sleep
        target._sleep_async = sleep_async

    def toy(self, *, fast_sleep: bool = True, **kwargs: Any) -> Any:
        return self._make(self.packages.toy, "Toy", fast_sleep, kwargs)

    def limited(self, *, fast_sleep: bool = False, **kwargs: Any) -> Any:
        return self._make(self.packages.limited, "Limited", fast_sleep, kwargs)

    def concurrently(self, client: Any, call: Callable[[Any], Any], count: int) -> list[Any]:
        """`count` calls at once: gathered on the loop (async) or from as many threads (sync)."""
        target = raw(client)
        if self.loop is not None:
            async def together() -> list[Any]:
                coroutines: list[Awaitable[Any]] = [call(target) for _ in range(count)]
                return list(await asyncio.gather(*coroutines, return_exceptions=True))
            return self.loop.run_until_complete(together())
        with concurrent.futures.ThreadPoolExecutor(max_workers=count) as pool:
            futures = [pool.submit(call, target) for _ in range(count)]
            return [f.exception() or f.result() for f in futures]

    def count(self, pager: Any) -> int:
        """How many items a pager yields, counted with `async for` on the loop itself (no per-item hop)."""
        target = raw(pager)
        if self.loop is None:
            return sum(1 for _ in target)

        async def count_async() -> int:
            count = 0
            async for _ in target:
                count += 1
            return count

        return self.loop.run_until_complete(count_async())

    def close_all(self) -> None:
        for client in self._made:
            if self.loop is not None:
                self.loop.run_until_complete(client.close())
            else:
                client.close()
