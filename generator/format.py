"""FileSet -> FileSet: Python files formatted by black (in process) and proven to parse."""

from __future__ import annotations

import ast

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
    return files.replace(changes)
