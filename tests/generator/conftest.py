"""Shared helpers for the generator's tests: running `careforge`, writing specs, reading trees."""

from __future__ import annotations

import contextlib
import importlib
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from generator.cli import main

REPO = Path(__file__).resolve().parents[2]

# CPython 3.11.7 releases the GIL while a vfork()ed child is still running in our address space;
# with several threads starting processes, a child now and then fails ("Bad address"). These tests
# start processes from threads, so they use fork(), the documented fallback.
subprocess._USE_VFORK = False  # type: ignore[attr-defined]

HERE = Path(__file__).resolve().parent
BROKEN = HERE / "broken"

# `CAREFORGE_UPDATE_SNAPSHOTS=1 pytest tests/generator` rewrites every snapshot file it compares.
UPDATE_SNAPSHOTS = os.environ.get("CAREFORGE_UPDATE_SNAPSHOTS") == "1"


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


def careforge(*args: str | os.PathLike[str], cwd: Path, env: Mapping[str, str] | None = None) -> Run:
    """`careforge ARGS` in a fresh interpreter (the real entry point, exit code and streams)."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("CAREFORGE_UPDATE_SNAPSHOTS", None)
    done = subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd, env=full_env, capture_output=True, text=True, check=False, timeout=300,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def invoke(*args: str | os.PathLike[str], cwd: Path) -> Run:
    """`careforge ARGS` in this process: much faster, same code path below the argument parser."""
    with contextlib.chdir(cwd):
        result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def generate(spec: str, out: str | Path, *, cwd: Path, extra: tuple[str, ...] = ()) -> Run:
    """Generate in process and insist that it worked."""
    run = invoke("generate", spec, "--out", out, *extra, cwd=cwd)
    assert run.code == 0, run.stderr
    return run


def write_files(root: Path, files: Mapping[str, str]) -> Path:
    """Write `{relative path: text}` under `root` (text is dedented) and return `root`."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (bytecode caches aside), by relative POSIX path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def tree_state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Contents and modification times: equal only if nothing was rewritten."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def assert_snapshot(path: Path, actual: str) -> None:
    """Compare with the stored snapshot, or rewrite it when CAREFORGE_UPDATE_SNAPSHOTS=1."""
    if UPDATE_SNAPSHOTS:
        path.write_text(actual, encoding="utf-8")
        return
    assert path.is_file(), f"no snapshot {path.name}: run with CAREFORGE_UPDATE_SNAPSHOTS=1 to create it"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path.name} differs from the output (CAREFORGE_UPDATE_SNAPSHOTS=1 rewrites it)"


@contextlib.contextmanager
def imported(folder: Path, module: str) -> Iterator[ModuleType]:
    """Import a generated package from `folder`, and forget it afterwards."""
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(module)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n == module or n.startswith(module + ".")]:
            del sys.modules[name]


def run_package_tests(folder: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """The generated package's own tests, run the way `make test` runs them."""
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options, "tests"],
                          cwd=folder, env=env, capture_output=True, text=True, check=False, timeout=300)


def run_mypy(folder: Path, module: str, cache: Path) -> subprocess.CompletedProcess[str]:
    """`mypy --strict MODULE tests` in a generated package (cache kept outside the package)."""
    command = [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.11", "--cache-dir", str(cache),
               module, "tests"]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False, timeout=300)


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for every package checked: the standard library and httpx are analysed once."""
    return tmp_path_factory.mktemp("mypy-cache")


def process_group(pgid: int) -> list[int]:
    """The live processes of a process group (read from /proc: no tool needed)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after the command name, which may hold spaces
        if fields[0] != "Z" and int(fields[2]) == pgid:
            found.append(int(entry.name))
    return found
