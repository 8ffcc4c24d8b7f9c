"""Per-request overhead of a generated client against raw httpx, on loopback, keep-alive.

    python -m bench.requests --port PORT --package-dir DIR [--requests N] [--blocks B]

Runs in its own process (started by bench/run.py, which also starts bench/server.py) and prints one
JSON document. The toy client (bench/specs/toy) is generated into DIR beforehand.

Each variant sends the same GET /items/42 with the same bearer header over one keep-alive
connection. Variants run in interleaved blocks (raw, by hand, Careforge, then by hand, Careforge,
raw, ...: the order rotates), so a load change on the machine hits each of them alike; the figure per
block is µs per request, and the report gives the median and the minimum over the blocks.

    raw httpx        client.get(url, headers=...).json()                              (the strict baseline)
    raw + pydantic   by hand, what a user writes for the same typed result: the URL built from the id,
                     client.get(...), response.raise_for_status(), Item.model_validate_json(response.content)
    Careforge        client.items.retrieve("42")                                     (returns models.Item)

The target compares Careforge with the strict baseline, which skips the status check and the model
validation the generated client does; the by-hand column is the fair comparison for the same result.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import pstats
import re
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx

TOKEN = "bench-token"
V = TypeVar("V")


def _rotated(variants: dict[str, V], block: int) -> list[tuple[str, V]]:
    """The variants in a different order each block: no variant always runs first, or right after another."""
    items = list(variants.items())
    shift = block % len(items)
    return items[shift:] + items[:shift]


def _per_request(blocks: int, per_block: int,
                 variants: dict[str, Callable[[], Any]]) -> dict[str, dict[str, list[float]]]:
    """µs per request, wall clock and this process's CPU time, per block."""
    results: dict[str, dict[str, list[float]]] = {name: {"wall": [], "cpu": []} for name in variants}
    for call in variants.values():  # warm up: connection, caches, lazy imports
        for _ in range(200):
            call()
    for block in range(blocks):
        for name, call in _rotated(variants, block):
            start, cpu = time.perf_counter(), time.process_time()
            for _ in range(per_block):
                call()
            results[name]["cpu"].append((time.process_time() - cpu) / per_block * 1e6)
            results[name]["wall"].append((time.perf_counter() - start) / per_block * 1e6)
    return results


async def _per_request_async(blocks: int, per_block: int,
                             variants: dict[str, Callable[[], Awaitable[Any]]]) -> dict[str, dict[str, list[float]]]:
    results: dict[str, dict[str, list[float]]] = {name: {"wall": [], "cpu": []} for name in variants}
    for call in variants.values():
        for _ in range(200):
            await call()
    for block in range(blocks):
        for name, call in _rotated(variants, block):
            start, cpu = time.perf_counter(), time.process_time()
            for _ in range(per_block):
                await call()
            results[name]["cpu"].append((time.process_time() - cpu) / per_block * 1e6)
            results[name]["wall"].append((time.perf_counter() - start) / per_block * 1e6)
    return results


async def _throughput(call: Callable[[], Awaitable[Any]], total: int, in_flight: int) -> tuple[float, float]:
    """Requests per second with `in_flight` requests outstanding at any time; and client CPU µs per request."""
    per_worker = total // in_flight

    async def worker() -> None:
        for _ in range(per_worker):
            await call()

    start, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(in_flight)))
    done = per_worker * in_flight
    return done / (time.perf_counter() - start), (time.process_time() - cpu) / done * 1e6


def _summary(values: list[float]) -> dict[str, float | list[float]]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "values": values}


def _both(measured: dict[str, list[float]]) -> dict[str, dict[str, float | list[float]]]:
    return {kind: _summary(values) for kind, values in measured.items()}


def _profile_sync(call: Callable[[], Any], count: int, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        call()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(r"benchtoy_client|httpx/_client", top)
    text = out.getvalue()
    text = re.sub(r"\S*/site-packages/", "", text)
    text = re.sub(r"\S*/lib/python3\.\d+/", "stdlib/", text)
    text = re.sub(r"\S*/(benchtoy_client/)", r"\1", text)
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), 0)
    return (f"cProfile of {count} calls of client.items.retrieve('42'): the generated client's functions and "
            f"httpx.Client's, top {top} by cumulative time\n") + "\n".join(
        line.rstrip() for line in lines[start:] if line.strip())


def _breakdown(typed: Any, raw: httpx.Client, url: str, headers: dict[str, str], count: int = 20000) -> dict[str, float]:
    """µs per call of each step a generated client adds or replaces, without the network (internal API:
    a step the runtime no longer has is left out)."""
    import benchtoy_client.resources.items as items_module
    from benchtoy_client._operation import RequestOptions
    from benchtoy_client._types import NOT_GIVEN

    op = items_module._RETRIEVE
    body = json.dumps({"id": "42", "name": "widget", "price": 9.5, "tags": ["a", "b"]}).encode()
    request = raw.build_request("GET", url, headers=headers)
    response = httpx.Response(200, content=body, headers={"content-type": "application/json"}, request=request)
    options = RequestOptions()
    steps: dict[str, Callable[[], Any]] = {
        "client.items (resource property)": lambda: typed.items,
        "RequestOptions(...) per call": lambda: RequestOptions(extra_headers=None, extra_query=None, timeout=NOT_GIVEN),
        "client._prepare (auth lookup + prepare_call)": lambda: typed._prepare(op, {"item_id": "42"}, NOT_GIVEN, options),
        "call.build (httpx.Request from the call)": lambda: typed._prepare(op, {"item_id": "42"}, NOT_GIVEN, options)[0].build(typed._http, None),
        "raw: httpx.Client.build_request": lambda: raw.build_request("GET", url, headers=headers),
        "client._parse (status, response spec, pydantic)": lambda: typed._parse(op, response),
        "raw: response.json()": lambda: response.json(),
        "client._redirect_target + _retry_delay (skipped on a 2xx)": lambda: (typed._redirect_target(response),
                                                          typed._retry_delay(op, 0, None, response, None)),
    }
    result: dict[str, float] = {}
    for label, step in steps.items():
        try:
            step()
        except Exception:  # noqa: BLE001 - the runtime changed: skip that step
            continue
        start = time.process_time()
        for _ in range(count):
            step()
        result[label] = (time.process_time() - start) / count * 1e6
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--package-dir", required=True)
    parser.add_argument("--requests", type=int, default=1000, help="requests per block")
    parser.add_argument("--blocks", type=int, default=7)
    parser.add_argument("--throughput-total", type=int, default=5000)
    parser.add_argument("--in-flight", type=int, default=100)
    parser.add_argument("--profile", type=int, default=2000)
    args = parser.parse_args()
    sys.path.insert(0, args.package_dir)
    from benchtoy_client import AsyncBenchToy, BenchToy
    from benchtoy_client.models import Item

    base = f"http://127.0.0.1:{args.port}"
    url = f"{base}/items/42"
    headers = {"Authorization": f"Bearer {TOKEN}"}
    report: dict[str, Any] = {"requests_per_block": args.requests, "blocks": args.blocks}

    raw = httpx.Client()
    typed = BenchToy(access_token=TOKEN, base_url=base)
    assert isinstance(typed.items.retrieve("42"), Item)

    def by_hand(item_id: str) -> Item:
        response = raw.get(f"{base}/items/{item_id}", headers=headers)
        response.raise_for_status()
        return Item.model_validate_json(response.content)

    sync = _per_request(args.blocks, args.requests, {
        "raw": lambda: raw.get(url, headers=headers).json(),
        "raw+pydantic": lambda: by_hand("42"),
        "careforge": lambda: typed.items.retrieve("42"),
    })
    report["sync"] = {name: _both(values) for name, values in sync.items()}
    report["profile"] = _profile_sync(lambda: typed.items.retrieve("42"), args.profile, 25)
    report["breakdown"] = _breakdown(typed, raw, url, headers)
    raw.close()
    typed.close()

    async def run_async() -> None:
        araw = httpx.AsyncClient()
        atyped = AsyncBenchToy(access_token=TOKEN, base_url=base)

        async def raw_call() -> Any:
            return (await araw.get(url, headers=headers)).json()

        async def raw_typed_call(item_id: str = "42") -> Any:  # by hand, as by_hand above
            response = await araw.get(f"{base}/items/{item_id}", headers=headers)
            response.raise_for_status()
            return Item.model_validate_json(response.content)

        async def typed_call() -> Any:
            return await atyped.items.retrieve("42")

        measured = await _per_request_async(args.blocks, args.requests, {
            "raw": raw_call, "raw+pydantic": raw_typed_call, "careforge": typed_call})
        report["async"] = {name: _both(values) for name, values in measured.items()}
        rates: dict[str, dict[str, list[float]]] = {"raw": {"rate": [], "cpu": []}, "careforge": {"rate": [], "cpu": []}}
        await _throughput(raw_call, 1000, args.in_flight)  # warm up the pools
        await _throughput(typed_call, 1000, args.in_flight)
        for _ in range(3):
            for name, call in (("raw", raw_call), ("careforge", typed_call)):
                rate, cpu = await _throughput(call, args.throughput_total, args.in_flight)
                rates[name]["rate"].append(rate)
                rates[name]["cpu"].append(cpu)
        report["throughput"] = {"in_flight": args.in_flight, "total": args.throughput_total, "rounds": 3,
                                **{name: _both(values) for name, values in rates.items()}}
        await araw.aclose()
        await atyped.close()

    asyncio.run(run_async())
    print(json.dumps(report))


if __name__ == "__main__":
    main()
