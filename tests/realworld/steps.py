"""One spec through four steps: generate, import, mypy --strict, the package's own tests. Each is a subprocess."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sample import Sample

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

GENERATE_TIMEOUT = 420
IMPORT_TIMEOUT = 180
MYPY_TIMEOUT = 420
TESTS_TIMEOUT = 600

# Imports the package and every module in it, then completes every model (forward references and
# recursion are resolved here, not at the first request).
_IMPORT_PROBE = """
import importlib, pkgutil, sys
import pydantic
name = sys.argv[1]
package = importlib.import_module(name)
for info in pkgutil.walk_packages(package.__path__, name + "."):
    importlib.import_module(info.name)
models = importlib.import_module(name + ".models")
for value in list(vars(models).values()):
    if isinstance(value, type) and issubclass(value, pydantic.BaseModel) and value.__module__ == models.__name__:
        value.model_rebuild(raise_errors=True)
"""


@dataclass
class Result:
    name: str
    why: str
    version: str = ""
    operations: int = 0
    schemas: int = 0
    size_kib: int = 0
    generated: bool | None = None
    imported: bool | None = None
    typed: bool | None = None  # None: not tried
    black_stable: bool | None = None  # `careforge check`'s style verdict; None: not checked
    lint_clean: bool | None = None  # `careforge check`'s `ruff check` verdict; None: not checked
    lint_problems: list[str] = field(default_factory=list)  # ruff's first findings, file:line:col RULE
    style_problems: list[str] = field(default_factory=list)  # what black would change
    tests: dict[str, int] = field(default_factory=dict)  # pytest outcome -> count, when the tests ran
    test_failures: list[str] = field(default_factory=list)  # pytest's short summary line of each failure
    test_skips: list[str] = field(default_factory=list)  # the reason of each skip
    exit_code: int | None = None
    warnings: dict[str, int] = field(default_factory=dict)  # diagnostic code -> count, when generated
    reason: str = ""
    seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def describe(document: Any, result: Result) -> None:
    """Version, operation and schema counts of the document."""
    if not isinstance(document, dict):
        return
    result.version = str(document.get("openapi") or f"swagger {document.get('swagger', '?')}")
    methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    paths: dict[str, Any] = document["paths"] if isinstance(document.get("paths"), dict) else {}
    result.operations = sum(len(methods & set(item)) for item in paths.values() if isinstance(item, dict))
    components: dict[str, Any] = document["components"] if isinstance(document.get("components"), dict) else {}
    schemas = components.get("schemas") or document.get("definitions") or {}
    result.schemas = len(schemas) if isinstance(schemas, dict) else 0


def extract(document: Any, pointer: str) -> Any:
    for part in pointer.lstrip("/").split("/"):
        document = document[part.replace("~1", "/").replace("~0", "~")]
    return document


def run(sample: Sample, api: Path, work: Path, mypy_cache: Path, *, mypy_max_operations: int) -> Result:
    result = Result(name=sample.name, why=sample.why)
    source = api / sample.spec
    result.size_kib = round(source.stat().st_size / 1024)
    document = json.loads(source.read_text(encoding="utf-8"))
    folder = work / slug(sample.name)
    if sample.pointer:
        document = extract(document, sample.pointer)
        specs = work / "specs"
        specs.mkdir(parents=True, exist_ok=True)
        spec_file = specs / f"{slug(sample.name)}.json"
        spec_file.write_text(json.dumps(document, indent=2), encoding="utf-8")
        cwd, argument = specs, spec_file.name
        result.size_kib = round(spec_file.stat().st_size / 1024)
    else:
        cwd, argument = api, sample.spec
    describe(document, result)
    out = folder / "client"
    if not _generate(result, cwd, argument, out, work / "cache"):
        return result
    _style(result, cwd, argument, out, work / "cache")
    module = _module(out)
    if not _import(result, out, module):
        return result
    if mypy_max_operations and result.operations > mypy_max_operations:
        result.reason = f"mypy not run (more than {mypy_max_operations} operations)"
    else:
        _mypy(result, out, module, mypy_cache)
    _tests(result, out)
    return result


def slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-." else "_" for c in name).strip("_")


def _run(step: str, result: Result, command: list[str], cwd: Path, timeout: float,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str] | None:
    started = time.monotonic()
    try:
        return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False,
                              env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired:
        result.reason = f"{step}: timed out after {timeout:.0f} s"
        return None
    finally:
        result.seconds[step] = round(time.monotonic() - started, 1)


def _generate(result: Result, cwd: Path, argument: str, out: Path, cache: Path) -> bool:
    # A cache of our own (black, the validator, the model generator): the user's is left alone.
    env = {"PYTHONPATH": str(REPO), "CAREFORGE_CACHE_DIR": str(cache)}
    command = [PYTHON, "-m", "generator", "generate", argument, "--out", str(out), "--force", "--verbose"]
    done = _run("generate", result, command, cwd, GENERATE_TIMEOUT, env)
    if done is None:
        result.generated = False
        return False
    result.exit_code = done.returncode
    for code in re.findall(r": warning\[([A-Z0-9-]+)\]", done.stderr):
        result.warnings[code] = result.warnings.get(code, 0) + 1
    result.generated = done.returncode == 0
    if not result.generated:
        result.reason = f"exit {done.returncode}: {first_problem(done.stderr, done.returncode)}"
    return result.generated


def _style(result: Result, cwd: Path, argument: str, out: Path, cache: Path) -> None:
    """`careforge check`: the package regenerated in memory (from the warm cache), linted with ruff and
    proven black-stable."""
    env = {"PYTHONPATH": str(REPO), "CAREFORGE_CACHE_DIR": str(cache)}
    done = _run("check", result, [PYTHON, "-m", "generator", "check", argument, "--out", str(out)], cwd,
                GENERATE_TIMEOUT, env)
    if done is None:
        return
    lints = re.findall(r"^lint: ruff check (passed|FAILED)", done.stdout + done.stderr, re.MULTILINE)
    if lints:
        result.lint_clean = lints[-1] == "passed"
        result.lint_problems = re.findall(r"^(\S+:\d+:\d+: [A-Z]+\d+ .*)$", done.stderr, re.MULTILINE)[:5]
    verdicts = re.findall(r"^style: (.*)$", done.stdout + done.stderr, re.MULTILINE)
    if verdicts:
        result.black_stable = verdicts[-1].endswith("is black-stable")
        result.style_problems = [line for line in done.stderr.splitlines() if "black would reformat" in line][:5]


def first_problem(stderr: str, code: int) -> str:
    lines = [line.rstrip() for line in stderr.splitlines() if line.strip()]
    if code == 3:  # a traceback: its last line is the exception
        return lines[-1] if lines else "internal error"
    for line in lines:
        if ": error[" in line:
            return line
    return lines[0] if lines else "no output"


def _module(out: Path) -> str:
    found = sorted(p.parent.name for p in out.glob("*/__init__.py") if p.parent.name != "tests")
    return found[0] if found else ""


def _import(result: Result, out: Path, module: str) -> bool:
    done = _run("import", result, [PYTHON, "-c", _IMPORT_PROBE, module], out, IMPORT_TIMEOUT,
                {"PYTHONPATH": str(out)})
    result.imported = done is not None and done.returncode == 0
    if done is not None and not result.imported:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        result.reason = f"import: {lines[-1] if lines else 'failed'}"
    return result.imported


def _mypy(result: Result, out: Path, module: str, cache: Path) -> None:
    command = [PYTHON, "-m", "mypy", "--strict", "--python-version", "3.11", "--cache-dir", str(cache),
               "--no-error-summary", "--hide-error-context", module]
    done = _run("mypy", result, command, out, MYPY_TIMEOUT)
    result.typed = done is not None and done.returncode == 0
    if done is not None and not result.typed:
        errors = [line for line in done.stdout.splitlines() if ": error:" in line]
        first = errors[0] if errors else (done.stdout + done.stderr).strip().splitlines()[:1]
        result.reason = f"mypy: {len(errors)} error(s); first: {first}"


_OUTCOME = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed)\b")


def _tests(result: Result, out: Path) -> None:
    """The generated package's own tests, run as its README says (from the package folder)."""
    command = [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfEs", "--tb=no", "--color=no", "tests"]
    done = _run("tests", result, command, out, TESTS_TIMEOUT, {"PYTHONPATH": ".", "COLUMNS": "1000"})
    if done is None:
        result.tests = {"timed out": 1}
        return
    lines = done.stdout.splitlines()
    if done.returncode == 5:  # pytest collected nothing: a spec without operations
        result.tests = {"none": 1}
        return
    summary = next((line for line in reversed(lines) if _OUTCOME.search(line)), "")
    for count, outcome in _OUTCOME.findall(summary):
        result.tests[outcome.rstrip("s") if outcome.startswith("error") else outcome] = int(count)
    result.test_failures = [line for line in lines if line.startswith(("FAILED ", "ERROR "))]
    result.test_skips = [line for line in lines if line.startswith("SKIPPED ")]
    if not result.tests:
        tail = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        result.tests = {"error": 1}
        result.test_failures = tail[-1:] or ["pytest gave no summary"]
    if (result.tests.get("failed") or result.tests.get("error")) and not result.reason:
        result.reason = f"tests: {result.test_failures[0] if result.test_failures else 'failed'}"


def tests_passed(result: Result) -> bool | None:
    """True when the package's tests ran with no failure and no error; None when they did not run."""
    if not result.tests:
        return None
    return not any(result.tests.get(k) for k in ("failed", "error", "timed out"))
