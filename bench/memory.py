"""Memory while a generated pager iterates 100,000 items across pages (loopback server, 100 per page).

    python -m bench.memory --port PORT --package-dir DIR --mode tracemalloc|rss [--style sync|async]

Runs in its own process and prints one JSON document. Items are read and dropped, as a consumer
that streams would do; what stays in memory is the pager's.

    tracemalloc  Python allocations: current at 10k and at 100k items; the peak over items 0-10k and
                 the peak over items 10k-100k (tracemalloc.reset_peak at 10k). Flat means the second
                 peak is no larger than the first and current(100k) ~ current(10k).
    rss          resident set size (VmRSS) at 10k and 100k items and the high-water mark (VmHWM),
                 without tracemalloc's own overhead.
    growth       tracemalloc snapshots at 10k and 100k items: the source lines whose live memory grew
                 most in between (what, if anything, grows with the number of pages).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import tracemalloc
from typing import Any

TOKEN = "bench-token"


def _status(field: str) -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


class Probe:
    def __init__(self, mode: str, checkpoints: tuple[int, ...]) -> None:
        self.mode = mode
        self.checkpoints = checkpoints
        self.points: dict[str, dict[str, int]] = {}
        self.start = time.perf_counter()

    def begin(self) -> None:
        if self.mode in ("tracemalloc", "growth"):
            tracemalloc.start(5 if self.mode == "growth" else 1)
        self.points["0"] = self._sample()
        self.snapshots: list[tracemalloc.Snapshot] = []
        self.growth: list[str] = []

    def _sample(self) -> dict[str, int]:
        if self.mode in ("tracemalloc", "growth"):
            current, peak = tracemalloc.get_traced_memory()
            return {"current": current, "peak": peak}
        return {"rss": _status("VmRSS"), "hwm": _status("VmHWM")}

    def seen(self, count: int) -> None:
        if count in self.checkpoints:
            self.points[str(count)] = self._sample()
            if self.mode == "tracemalloc":
                tracemalloc.reset_peak()
            if self.mode == "growth":
                self.snapshots.append(tracemalloc.take_snapshot())
                if len(self.snapshots) == 2:
                    diff = self.snapshots[1].compare_to(self.snapshots[0], "traceback")
                    for stat in diff[:3]:
                        frames = [f"{_short(f.filename)}:{f.lineno}" for f in reversed(stat.traceback)][:4]
                        self.growth.append(f"{stat.size_diff / 1024:+.0f} KiB in {stat.count_diff:+d} blocks at "
                                           + " <- ".join(frames))
                    self.snapshots.clear()


def _short(filename: str) -> str:
    for marker in ("benchtoy_client/", "site-packages/", "python3."):
        if marker in filename:
            return filename.split(marker, 1)[1] if marker != "benchtoy_client/" else marker + filename.split(marker, 1)[1]
    return filename.rsplit("/", 1)[-1]


def run_sync(port: int, items: int, probe: Probe) -> int:
    from benchtoy_client import BenchToy

    client = BenchToy(access_token=TOKEN, base_url=f"http://127.0.0.1:{port}")
    client.items.retrieve("42")  # connection and lazy imports before the first sample
    probe.begin()
    count = 0
    for item in client.items.list():
        count += 1
        probe.seen(count)
        del item
        if count >= items:
            break
    client.close()
    return count


async def run_async(port: int, items: int, probe: Probe) -> int:
    from benchtoy_client import AsyncBenchToy

    client = AsyncBenchToy(access_token=TOKEN, base_url=f"http://127.0.0.1:{port}")
    await client.items.retrieve("42")
    probe.begin()
    count = 0
    async for item in client.items.list():
        count += 1
        probe.seen(count)
        del item
        if count >= items:
            break
    await client.close()
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--package-dir", required=True)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--mode", choices=("tracemalloc", "rss", "growth"), default="tracemalloc")
    parser.add_argument("--style", choices=("sync", "async"), default="sync")
    args = parser.parse_args()
    sys.path.insert(0, args.package_dir)
    checkpoints = (args.items // 10, args.items)
    probe = Probe(args.mode, checkpoints)
    if args.style == "sync":
        count = run_sync(args.port, args.items, probe)
    else:
        count = asyncio.run(run_async(args.port, args.items, probe))
    report: dict[str, Any] = {"mode": args.mode, "style": args.style, "items": count,
                              "seconds": time.perf_counter() - probe.start, "points": probe.points,
                              "growth": probe.growth}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
