"""Shared by the robustness tests: generate a spec, then check the package in fresh interpreters.

The generator's own test helpers (`tests/generator/conftest.py`) are loaded under a name of their own,
so this folder reuses `invoke`, `tree` and `run_mypy` without clashing with any other `conftest`.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
import warnings
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from generator.checks.lint import lint

HERE = Path(__file__).resolve().parent

# CPython 3.11.7 releases the GIL while a vfork()ed child is still running in our address space;
# with several threads starting processes, a child now and then fails ("Bad address"). These tests
# start processes from threads, so they use fork(), the documented fallback.
subprocess._USE_VFORK = False  # type: ignore[attr-defined]
REPO = HERE.parents[1]

# The payloads in hostile/ try to create files with this name (relative to the working directory).
MARKER = "MARKER"


def _generator_helpers() -> ModuleType:
    name = "careforge_generator_test_helpers"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "tests" / "generator" / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


HELPERS = _generator_helpers()


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return f"exit {self.code}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def invoke(*args: str | os.PathLike[str], cwd: Path) -> Run:
    """`careforge ARGS` in this process (the CLI helper of the generator's tests)."""
    done = HELPERS.invoke(*args, cwd=cwd)
    return Run(int(done.code), str(done.stdout), str(done.stderr))


def careforge(*args: str | os.PathLike[str], cwd: Path) -> Run:
    """`python -m generator ARGS` in a fresh interpreter."""
    done = HELPERS.careforge(*args, cwd=cwd)
    return Run(int(done.code), str(done.stdout), str(done.stderr))


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (bytecode caches aside), by relative POSIX path."""
    found: dict[str, bytes] = HELPERS.tree(folder)
    return found


def run_mypy(folder: Path, module: str, cache: Path) -> subprocess.CompletedProcess[str]:
    """`mypy --strict MODULE tests` in a generated package, with a shared cache."""
    done: subprocess.CompletedProcess[str] = HELPERS.run_mypy(folder, module, cache)
    return done


def package_module(out: Path) -> str:
    """The import name of the package generated into `out`."""
    found = sorted(p.parent.name for p in out.glob("*/__init__.py") if p.parent.name != "tests")
    assert len(found) == 1, f"expected one package in {out.name}, found {found}"
    return found[0]


# -- checks on the generated files ----------------------------------------------------------------

_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\u0085]")


def unparsable_python(out: Path) -> list[str]:
    """Generated .py files that do not compile cleanly (syntax errors, invalid escapes, NUL bytes)."""
    problems = []
    for path in sorted(out.rglob("*.py")):
        source = path.read_bytes()
        name = path.relative_to(out).as_posix()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # an invalid escape sequence is only a warning
                tree = ast.parse(source, filename=name)
                compile(tree, name, "exec", dont_inherit=True)
        except (SyntaxError, ValueError, Warning) as exc:
            problems.append(f"{name}: {type(exc).__name__}: {exc}")
    return problems


def raw_control_characters(out: Path) -> list[str]:
    """Generated text files with raw control characters (escape.py promises none reach the output)."""
    found = []
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".md", ".toml") and "__pycache__" not in path.parts:
            text = path.read_text(encoding="utf-8", errors="replace")
            match = _RAW_CONTROL.search(text)
            if match:
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(out).as_posix()}:{line}: {match.group()!r}")
    return found


def pyproject_problem(out: Path) -> str | None:
    try:
        tomllib.loads((out / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return f"pyproject.toml: {exc}"
    return None


def markers(*folders: Path) -> list[Path]:
    """Files the injection payloads would have created."""
    return sorted(p for folder in folders for p in folder.rglob(MARKER))


# -- checks in fresh interpreters -----------------------------------------------------------------

# Imports the package and every module in it with warnings as errors (exit 97 if that fails), then
# runs the package's own tests the way `make test` does.
_IMPORT_THEN_TEST = r"""
import importlib, pkgutil, sys, traceback, warnings
module = sys.argv[1]
try:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        package = importlib.import_module(module)
        importlib.import_module(module + ".models")
        for info in pkgutil.walk_packages(package.__path__, module + "."):
            importlib.import_module(info.name)
except BaseException:
    traceback.print_exc()
    sys.exit(97)
import pytest
sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", "tests"]))
"""
IMPORT_FAILED = 97


def import_and_test(out: Path, module: str) -> subprocess.CompletedProcess[str]:
    """Import the package in a fresh interpreter, then run its generated tests there."""
    env = {**os.environ, "PYTHONPATH": str(out), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-c", _IMPORT_THEN_TEST, module], cwd=out, env=env, capture_output=True,
                          text=True, check=False, timeout=300)


def run_package_tests(out: Path) -> subprocess.CompletedProcess[str]:
    """The generated package's own tests, run the way `make test` runs them."""
    done: subprocess.CompletedProcess[str] = HELPERS.run_package_tests(out)
    return done


# -- diagnostics (the format tests/generator/test_diagnostics.py checks for the broken corpus) -----

DIAGNOSTIC = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning)"
                        r"\[(?P<code>[A-Z][A-Z0-9-]+)\]: (?P<message>.+) \(#(?P<pointer>/.*)?\)$")
HINT = re.compile(r"^  hint: \S.*$")
SUMMARY = re.compile(r"^careforge: \d+ errors?, \d+ warnings?; nothing was written$")


def report_problems(run: Run) -> list[str]:
    """What is wrong with the report of a rejected spec: exit 2, every diagnostic on one line, a hint each."""
    problems = []
    if run.code != 2:
        problems.append(f"exit {run.code}, expected 2 (spec error)")
    if "Traceback" in run.stderr or "internal error" in run.stderr:
        problems.append("a traceback or internal error was printed")
    lines = run.stderr.rstrip("\n").split("\n")
    if not SUMMARY.match(lines[-1]):
        problems.append(f"no summary line: {lines[-1]!r}")
    body = lines[:-1]
    if not body:
        problems.append("no diagnostic was printed")
    for index, line in enumerate(body):
        pattern = DIAGNOSTIC if index % 2 == 0 else HINT
        if not pattern.match(line):
            problems.append(f"line {index + 1} is not a {'diagnostic' if index % 2 == 0 else 'hint'}: {line!r}")
        elif _RAW_CONTROL.search(line):
            problems.append(f"line {index + 1} carries raw control characters: {line!r}")
    if len(body) % 2:
        problems.append("the last diagnostic has no hint")
    return problems


# -- one hostile case, end to end -----------------------------------------------------------------

UNCHECKABLE_EXAMPLE = "the schema cannot be used to check it"


@dataclass
class Outcome:
    """A case generated under `root`: what the run printed, and every problem found so far or pending."""

    root: Path
    run: Run
    module: str = ""
    problems: list[str] = field(default_factory=list)
    checks: list[Future[list[str]]] = field(default_factory=list)

    def all_problems(self) -> list[str]:
        found = list(self.problems)
        for check in self.checks:
            found.extend(check.result())
        found.extend(f"injected code ran: {p.relative_to(self.root)}" for p in markers(self.root))
        return found


def package_checks(out: Path, module: str) -> list[str]:
    """Problems importing the package (warnings as errors) or running its generated tests."""
    done = import_and_test(out, module)
    if done.returncode == IMPORT_FAILED:
        return [f"the package does not import cleanly:\n{done.stderr[-3000:]}"]
    if done.returncode != 0:
        return [f"the generated tests fail:\n{done.stdout[-4000:]}{done.stderr[-2000:]}"]
    return []


def type_checks(out: Path, module: str, cache: Path) -> list[str]:
    """`mypy --strict` on the package and its tests, as a list of problems."""
    done = run_mypy(out, module, cache)
    return [] if done.returncode == 0 else [f"mypy --strict fails:\n{done.stdout[-4000:]}"]


def lint_checks(out: Path) -> list[str]:
    """`ruff check` with the package's own rules, as a list of problems."""
    passed, output = lint(out)
    return [] if passed else [f"ruff check fails:\n{output[-4000:]}"]


def generate_case(spec: Path, root: Path, file_name: str, *, rejected: bool) -> Outcome:
    """Copy `spec` to `root/file_name` and generate it in this process; the checks that need no subprocess."""
    shutil.copy(spec, root / file_name)
    run = invoke("generate", file_name, "--out", "out", cwd=root)
    outcome = Outcome(root, run)
    out = root / "out"
    if rejected:
        outcome.problems += report_problems(run)
        if out.exists() or list(root.glob(".careforge-*")):
            outcome.problems.append("a rejected spec wrote files")
        return outcome
    if run.code != 0:
        outcome.problems.append(f"a valid spec did not generate:\n{run.output}")
        return outcome
    if UNCHECKABLE_EXAMPLE in run.stderr:
        outcome.problems.append(f"an example could not be checked against its schema:\n{run.stderr}")
    outcome.module = package_module(out)
    outcome.problems += unparsable_python(out)
    outcome.problems += raw_control_characters(out)
    outcome.problems += [p for p in [pyproject_problem(out)] if p]
    outcome.problems += lint_checks(out)
    return outcome
