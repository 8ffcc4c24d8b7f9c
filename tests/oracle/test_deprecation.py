"""Calling a deprecated operation, or passing a deprecated parameter, warns at the caller's line."""

from __future__ import annotations

import asyncio
import warnings

import httpx
import pytest

from .corpus_packages import corpus_package
from .harness import Package


@pytest.fixture(scope="module")
def deprecated() -> Package:
    return corpus_package("deprecated")


def _answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(204)


def _calls(package: Package, use_async: bool, call: str, raw: bool = False) -> list[warnings.WarningMessage]:
    """`raw`: through client.with_raw_response, then parse() (which must not warn a second time)."""
    module = package.module
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if use_async:
            async def run() -> None:
                client = module.AsyncDeprecated(http_client=httpx.AsyncClient(transport=httpx.MockTransport(_answer)))
                if raw:
                    await (await getattr(client.with_raw_response.things, call[0])(**call[1])).parse()
                else:
                    await getattr(client.things, call[0])(**call[1])
                await client.close()
            asyncio.run(run())
        else:
            client = module.Deprecated(http_client=httpx.Client(transport=httpx.MockTransport(_answer)))
            if raw:
                getattr(client.with_raw_response.things, call[0])(**call[1]).parse()
            else:
                getattr(client.things, call[0])(**call[1])
            client.close()
    return [w for w in caught if issubclass(w.category, DeprecationWarning)]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("call", "message"), [
    (("old", {}), "GET /old is deprecated by the API"),
    (("list", {"legacy": "x"}), "GET /things: the parameter 'legacy' is deprecated by the API"),
])
@pytest.mark.parametrize("raw", [False, True], ids=["plain", "raw"])
def test_deprecated_use_warns_at_the_callers_line(deprecated: Package, use_async: bool, raw: bool,
                                                   call: tuple[str, dict[str, str]], message: str) -> None:
    found = _calls(deprecated, use_async, call, raw)  # type: ignore[arg-type]
    assert [str(w.message) for w in found] == [message]
    assert found[0].filename == __file__


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_current_use_does_not_warn(deprecated: Package, use_async: bool) -> None:
    assert _calls(deprecated, use_async, ("list", {"q": "x"})) == []  # type: ignore[arg-type]
