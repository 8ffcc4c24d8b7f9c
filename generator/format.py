"""FileSet -> FileSet: Python files and the Python examples in Markdown formatted by black, proven to parse."""

from __future__ import annotations

import ast
import re

from .fileset import FileSet

LINE_LENGTH = 88


class FormatError(Exception):
    """Generated code that does not parse: a bug in the generator, never the spec's fault."""


def black_mode() -> object:
    import black
    from black.mode import TargetVersion

    return black.Mode(target_versions={TargetVersion.PY310}, line_length=LINE_LENGTH)


def format_files(files: FileSet) -> FileSet:
    import black
    import black.parsing

    mode = black_mode()
    changes: dict[str, str] = {}
    for path in files.python_files:
        source = files.files[path]
        try:
            ast.parse(source, filename=path)
            formatted = black.format_str(source, mode=mode)  # type: ignore[arg-type]
        except (SyntaxError, black.parsing.InvalidInput) as exc:
            raise FormatError(f"{path}: generated code does not parse: {exc}") from exc
        ast.parse(formatted, filename=path)
        changes[path] = formatted
    for path, text in files.files.items():
        if path.endswith(".md"):
            changes[path] = _PYTHON_BLOCK.sub(lambda m: _format_block(m, path, mode), text)
    return files.replace(changes)


_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def _format_block(match: re.Match[str], path: str, mode: object) -> str:
    import black
    import black.parsing

    try:
        formatted = black.format_str(match.group(1), mode=mode)  # type: ignore[arg-type]
    except black.parsing.InvalidInput as exc:
        raise FormatError(f"{path}: a Python example does not parse: {exc}") from exc
    return f"```python\n{formatted}```"
