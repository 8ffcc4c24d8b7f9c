"""Import time of generated clients.

For each package: `python -c "import pkg"` minus `python -c "pass"` (medians over N fresh processes,
interleaved), the package's own cumulative figure from `python -X importtime`, and, in one process,
the time of `import pkg`, of the first access of `pkg.<Client>`, of building the client, of its
first resource attribute, of `import pkg.models`, and of reading every name in `models.__all__` (which
loads every model when the models are split one per module).
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .common import Stat

PROBE = r"""
import json, sys, time
t0 = time.perf_counter()
import {pkg}
t1 = time.perf_counter()
cls = getattr({pkg}, {client!r}, None)
t2 = time.perf_counter()
first = {{}}
if cls is not None and {construct}:
    try:
        client = cls(base_url="https://api.example.test")
        t3 = time.perf_counter()
        first["construct"] = t3 - t2
        if {resource!r}:
            getattr(client, {resource!r})
            first["first_resource"] = time.perf_counter() - t3
    except Exception as exc:
        first["error"] = type(exc).__name__ + ": " + str(exc)[:200]
t4 = time.perf_counter()
try:
    import importlib; importlib.import_module({pkg!r} + ".models")
except ImportError:
    pass
t5 = time.perf_counter()
models = sys.modules.get({pkg!r} + ".models")
for name in getattr(models, "__all__", []):  # split models load one module each on first use
    getattr(models, name)
t6 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "client_attr": t2 - t1, "models": t5 - t4, "all_models": t6 - t5, **first}}))
"""


@dataclass
class ImportResult:
    label: str
    package: str
    python: str
    startup: Stat = field(default_factory=Stat)
    with_import: Stat = field(default_factory=Stat)
    importtime_us: int | None = None  # -X importtime: cumulative µs of the package's top module
    probe: dict[str, float | str] = field(default_factory=dict)
    error: str = ""

    @property
    def net(self) -> float:
        return self.with_import.median - self.startup.median


def careforge_client_class(package_dir: Path) -> tuple[str, str]:
    """(client class, first resource property) read from the generated _client.py."""
    tree = ast.parse((package_dir / "_client.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and not node.name.startswith("Async"):
            props = [f.name for f in node.body if isinstance(f, ast.FunctionDef)
                     and any(isinstance(d, ast.Name) and d.id == "property" for d in f.decorator_list)]
            return node.name, (props[0] if props else "")
    return "", ""


def measure_import(label: str, python: Path, root: Path, package: str, client: str = "", resource: str = "",
                   construct: bool = True, reps: int = 7) -> ImportResult:
    result = ImportResult(label=label, package=package, python=python.name)
    env = {"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": ""}
    # One import first, so the .pyc files exist: we measure a warm import, as a user's second run is.
    first = subprocess.run([str(python), "-c", f"import {package}"], cwd=root, env=env, capture_output=True, text=True,
                           timeout=600)
    if first.returncode != 0:
        lines = [line for line in first.stderr.splitlines() if line.strip()]
        result.error = lines[-1][:300] if lines else f"exit {first.returncode}"
        return result
    for _ in range(reps):
        for stat, code in ((result.startup, "pass"), (result.with_import, f"import {package}")):
            start = time.perf_counter()
            subprocess.run([str(python), "-c", code], cwd=root, env=env, check=True, capture_output=True)
            stat.values.append(time.perf_counter() - start)
    done = subprocess.run([str(python), "-X", "importtime", "-c", f"import {package}"], cwd=root, env=env,
                          capture_output=True, text=True)
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+\d+\s+\|\s+(\d+)\s+\|\s*(\S+)\s*$", line)
        if match and match.group(2) == package:
            result.importtime_us = int(match.group(1))
    code = PROBE.format(pkg=package, client=client, resource=resource, construct=construct)
    done = subprocess.run([str(python), "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode == 0 and done.stdout.strip():
        result.probe = json.loads(done.stdout.strip().splitlines()[-1])
    else:
        result.error = (done.stderr.strip().splitlines() or ["probe failed"])[-1][:300]
    return result


def find_package(out: Path, prefer: str = "") -> str | None:
    """The importable package folder inside a generator's output folder."""
    if prefer and (out / prefer / "__init__.py").is_file():
        return prefer
    candidates = sorted(p.parent.name for p in out.glob("*/__init__.py")
                        if p.parent.name not in ("test", "tests", "docs"))
    return candidates[0] if candidates else None
