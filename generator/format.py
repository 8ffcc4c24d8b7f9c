"""FileSet -> FileSet: Python files and the Python examples in Markdown formatted by black, proven to parse."""

from __future__ import annotations

import ast
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor

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
    mode = black_mode()
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
            changes[path] = _PYTHON_BLOCK.sub(lambda m: _format_block(m, path, mode), text)
    return files.replace(changes)


def _format_all(pending: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(formatted, problem) per file; black is CPU-bound, so large packages use every core."""
    workers = min(len(pending), os.cpu_count() or 1, 8)
    if workers < 2 or sum(len(source) for _, source in pending) < _PARALLEL_FROM:
        return [_format_one(item) for item in pending]
    # Largest first, so no worker is left with one big file at the end; results keep input order.
    order = sorted(range(len(pending)), key=lambda i: -len(pending[i][1]))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        done = dict(zip(order, pool.map(_format_one, [pending[i] for i in order]), strict=True))
    return [done[i] for i in range(len(pending))]


def _format_one(item: tuple[str, str]) -> tuple[str, str]:
    import black
    import black.parsing

    path, source = item
    try:
        ast.parse(source, filename=path)
        formatted = black.format_str(source, mode=black_mode())  # type: ignore[arg-type]
        ast.parse(formatted, filename=path)
    except (SyntaxError, black.parsing.InvalidInput) as exc:
        return "", str(exc) or type(exc).__name__
    return formatted, ""


def _parse(source: str, path: str) -> None:
    try:
        ast.parse(source, filename=path)
    except SyntaxError as exc:
        raise FormatError(f"{path}: runtime code does not parse: {exc}") from exc


_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def _format_block(match: re.Match[str], path: str, mode: object) -> str:
    import black
    import black.parsing

    try:
        formatted = black.format_str(match.group(1), mode=mode)  # type: ignore[arg-type]
    except black.parsing.InvalidInput as exc:
        raise FormatError(f"{path}: a Python example does not parse: {exc}") from exc
    return f"```python\n{formatted}```"
