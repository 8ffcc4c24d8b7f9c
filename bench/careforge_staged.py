"""`careforge` with a stopwatch on each pipeline stage (the generator itself is not changed).

    python -m bench.careforge_staged generate SPEC --out DIR ...     # same arguments as `careforge`

Every stage function is looked up by its module at call time, so wrapping the module attributes (when
the generator first imports each module) times the real run at a cost of microseconds. With
BENCH_STAGES=file.json the seconds spent in each stage are written there when the process exits.

BENCH_WORKAROUND=positional-args additionally replaces `example_arguments` (generator/view/tests.py,
also used by docs and guides) with a version that puts path arguments first, as the method signature
does; it exists only to measure how far a spec gets past that bug, and is reported as such.
"""

from __future__ import annotations

import atexit
import functools
import importlib
import importlib.abc
import importlib.machinery
import json
import os
import sys
import time
from collections import defaultdict
from types import ModuleType
from typing import Any

STARTED = time.perf_counter()
SPENT: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)

# (module, attribute, stage label); nested stages are timed separately (a parent includes its children).
STAGES = (
    ("generator.load", "load", "load (parse YAML/JSON)"),
    ("generator.resolve", "resolve", "resolve ($refs)"),
    ("generator.validate", "start", "validate start (shape check, lint)"),
    ("generator.validate", "finish", "validate wait (for the validator's verdict)"),
    ("generator.lint", "lint", "validate: lint (house style)"),
    ("generator.ir.build", "build", "IR build"),
    ("generator.rules", "apply_rules", "rules"),
    ("generator.view", "build_views", "views"),
    ("generator.models", "generate_models", "models (total)"),
    ("generator.models", "_run", "models: datamodel-code-generator"),
    ("generator.render", "render", "render (Jinja)"),
    ("generator.bundle", "bundle", "bundle (tests/spec.json)"),
    ("generator.format", "format_files", "format (ruff formatter + compile)"),
    ("generator.manifest", "render_manifest", "manifest"),
    ("generator.manifest", "up_to_date", "up-to-date check (manifest)"),
    ("generator.write", "write_tree", "write (atomic swap + fsync)"),
)


MAIN_PID = os.getpid()


def _timed(label: str, func: Any) -> Any:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            if os.getpid() == MAIN_PID:
                SPENT[label] += time.perf_counter() - start
                CALLS[label] += 1
            else:  # in a child the generator forked (lint, the "what changed" comparison): sent home by file
                _child_report(f"{label} (in a child)", time.perf_counter() - start)

    return wrapper


def _child_report(label: str, seconds: float) -> None:
    target = os.environ.get("BENCH_STAGES")
    if target:
        with open(target + ".child", "a") as handle:
            handle.write(json.dumps([label, seconds]) + "\n")


# Runs in the child the generator forks for it: its time is sent home through a file.
VALIDATOR = "validate: openapi-spec-validator (in a child process, beside the stages)"


# The validator on the pieces of the spec not known valid (validator_pieces.py), also in that child.
PIECES = "validate: openapi-spec-validator on the changed pieces (in the child)"


def _in_child(func: Any, label: str = VALIDATOR, listed: bool = True) -> Any:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        found = func(*args, **kwargs)
        found = list(found) if listed else found
        _child_report(label, time.perf_counter() - start)
        return iter(found) if listed else found

    return wrapper


def _patch(module: ModuleType) -> None:
    for module_name, attribute, label in STAGES:
        if module_name == module.__name__:
            setattr(module, attribute, _timed(label, getattr(module, attribute)))
    if module.__name__ == "generator.validate":
        setattr(module, "_validator_errors", _in_child(getattr(module, "_validator_errors")))
        setattr(module, "_pieces_pass", _in_child(getattr(module, "_pieces_pass"), PIECES, listed=False))
    if module.__name__ == "generator.manifest":
        inputs: Any = getattr(module, "Inputs")
        inputs.collect = classmethod(_timed("manifest: hash inputs", inputs.collect.__func__))


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Wraps a stage's module when the generator first imports it: the stopwatch imports nothing the
    generator would not (a warm run skips the validator, lint and the formatter entirely)."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name not in _WATCHED:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        loader: Any = spec.loader
        original = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            original(module)
            _patch(module)

        loader.exec_module = exec_module
        return spec


_WATCHED = {module_name for module_name, _, _ in STAGES} | {"generator.validate", "generator.manifest"}


def _install() -> None:
    already = [sys.modules[name] for name in _WATCHED if name in sys.modules]
    sys.meta_path.insert(0, _PatchOnImport())
    for module in already:
        _patch(module)


def _positional_first(original: Any) -> Any:
    from generator.ir.model import ParamLocation

    def example_arguments(op: Any, enums: frozenset[str]) -> str:
        import dataclasses

        path = [p for p in op.parameters if p.location is ParamLocation.PATH]
        other = [p for p in op.parameters if p.location is not ParamLocation.PATH]
        return str(original(dataclasses.replace(op, parameters=tuple(path + other)), enums))

    return example_arguments


def _workaround() -> None:
    if os.environ.get("BENCH_WORKAROUND") != "positional-args":
        return
    tests = importlib.import_module("generator.view.tests")
    patched = _positional_first(tests.example_arguments)
    for module_name in ("generator.view.tests", "generator.view.docs", "generator.view.guides"):
        module = importlib.import_module(module_name)
        if hasattr(module, "example_arguments"):
            setattr(module, "example_arguments", patched)


def _report() -> None:
    target = os.environ.get("BENCH_STAGES")
    if not target:
        return
    try:
        with open(target + ".child") as handle:
            for line in handle:
                label, seconds = json.loads(line)
                SPENT[label] += seconds
                CALLS[label] += 1
        os.remove(target + ".child")
    except OSError:
        pass
    data = {"total": time.perf_counter() - STARTED, "stages": dict(SPENT), "calls": dict(CALLS)}
    with open(target, "w") as handle:
        json.dump(data, handle, indent=1)


def main() -> None:
    _install()
    _workaround()
    atexit.register(_report)
    from generator.cli import main as cli

    sys.argv[0] = "careforge"
    cli()


if __name__ == "__main__":
    main()
