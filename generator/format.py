"""FileSet -> FileSet: Python files and the Python examples in Markdown formatted by black, proven to parse."""

from __future__ import annotations

import ast
import multiprocessing
import os
import re
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from . import cache
from .children import die_with_parent
from .fileset import FileSet

LINE_LENGTH = 88


class FormatError(Exception):
    """Generated code that does not parse: a bug in the generator, never the spec's fault."""


def black_mode() -> object:
    import black
    from black.mode import TargetVersion

    return black.Mode(target_versions={TargetVersion.PY310}, line_length=LINE_LENGTH)


# Below this much code, starting worker processes costs more than it saves.
_PARALLEL_FROM = 200_000  # characters


def format_files(files: FileSet) -> FileSet:
    pending = [(path, files.files[path]) for path in files.python_files if path not in files.verbatim]
    for path in files.python_files:
        if path in files.verbatim:
            _parse(files.files[path], path)
    changes: dict[str, str] = {}
    for path, (formatted, problem) in zip((p for p, _ in pending), _format_all(pending), strict=True):
        if problem:
            raise FormatError(f"{path}: generated code does not parse: {problem}")
        changes[path] = formatted
    for path, text in files.files.items():
        if path.endswith(".md"):
            changes[path] = _PYTHON_BLOCK.sub(lambda m: _format_block(m, path), text)
    return files.replace(changes)


def _format_all(pending: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(formatted, problem) per file: from the cache, else by black, using every core for a large package."""
    # What black's output depends on besides the source (without importing black on a full hit).
    tool = f"black {cache.version('black')} line-length={LINE_LENGTH} target=py310 passes=1"
    keys = [cache.key("black", (tool, source)) for _, source in pending]
    results: list[tuple[str, str] | None] = []
    for entry in keys:
        hit = cache.get("black", entry)
        results.append((hit, "") if hit is not None else None)
    missing = [i for i, found in enumerate(results) if found is None]
    for i, done in zip(missing, _run_black([pending[i] for i in missing]), strict=True):
        results[i] = done
        if not done[1]:
            cache.put("black", keys[i], done[0])
    return [r for r in results if r is not None]


def _run_black(pending: list[tuple[str, str]]) -> list[tuple[str, str]]:
    workers = min(len(pending), os.cpu_count() or 1, 8)
    if workers < 2 or sum(len(source) for _, source in pending) < _PARALLEL_FROM:
        return [_format_one(item) for item in pending]
    # Largest first, so no worker is left with one big file at the end; results keep input order.
    order = sorted(range(len(pending)), key=lambda i: -len(pending[i][1]))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        done = dict(zip(order, pool.map(_format_one, [pending[i] for i in order]), strict=True))
    return [done[i] for i in range(len(pending))]


def _format_one(item: tuple[str, str]) -> tuple[str, str]:
    import black
    import black.parsing

    path, source = item
    try:
        ast.parse(source, filename=path)
        formatted = _black_pass(black)(source, mode=black_mode())
        _compile(formatted, path)
    except (SyntaxError, SyntaxWarning, black.parsing.InvalidInput) as exc:
        return "", str(exc) or type(exc).__name__
    return formatted, ""


def _black_pass(black: Any) -> Callable[..., str]:
    """One black pass. `black.format_str` runs a second whenever the first changed anything, to settle
    trailing commas it added itself; on generated code it changes nothing (tests/generator/
    test_black_stable.py checks every generated package) and costs as much as the first."""
    once: Callable[..., str] = getattr(black, "_format_str_once", black.format_str)
    return once


def _compile(source: str, path: str) -> None:
    """Compile, not only parse: duplicate arguments and misplaced names are compile-time errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", SyntaxWarning)  # an invalid escape sequence, for one
        compile(source, path, "exec", dont_inherit=True)


def _parse(source: str, path: str) -> None:
    try:
        _compile(source, path)
    except (SyntaxError, SyntaxWarning) as exc:
        raise FormatError(f"{path}: runtime code does not parse: {exc}") from exc


_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def _format_block(match: re.Match[str], path: str) -> str:
    [(formatted, problem)] = _format_all([(path, match.group(1))])
    if problem:
        raise FormatError(f"{path}: a Python example does not parse: {problem}")
    return f"```python\n{formatted}```"
