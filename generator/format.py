"""FileSet -> FileSet: Python files and the Python examples in Markdown formatted in black's style, proven to compile."""

from __future__ import annotations

import ast
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tokenize
import warnings
from pathlib import Path

import regex

from . import cache, children
from .fileset import FileSet

LINE_LENGTH = 88
FSTRING_START = getattr(tokenize, "FSTRING_START", -1)  # Python 3.12 splits f-strings into tokens


class FormatError(Exception):
    """Generated code that does not parse: a bug in the generator, never the spec's fault."""


def black_mode() -> object:
    """Black's settings for the style check (checks/style.py and tests): the contract the engine meets."""
    import black
    from black.mode import TargetVersion

    return black.Mode(target_versions={TargetVersion.PY310}, line_length=LINE_LENGTH)


# The engine: ruff's formatter, which writes black's style (a compiled tool: a large package in well
# under a second, where black took two thirds of a cold run). `make check` proves black agrees.
_RUFF_OPTIONS = ("--isolated", "--no-cache", "--quiet", f"--line-length={LINE_LENGTH}", "--target-version=py310")
_TIDY_OPTIONS = ("--isolated", "--no-cache", "--quiet", "--select=I001,F401", "--target-version=py310")


def format_files(files: FileSet) -> FileSet:
    _check_verbatim([(path, files.files[path]) for path in files.python_files if path in files.verbatim])
    pending = [(path, files.files[path]) for path in files.python_files if path not in files.verbatim]
    blocks = [(path, match) for path, text in files.files.items() if path.endswith(".md")
              for match in PYTHON_BLOCK.finditer(text)]
    results = _format_all(pending + [(path, match.group(1)) for path, match in blocks])
    changes: dict[str, str] = {}
    for (path, _), (formatted, problem) in zip(pending, results[:len(pending)], strict=True):
        if problem:
            raise FormatError(f"{path}: generated code does not parse: {problem}")
        changes[path] = formatted
    done = dict(zip(((path, match.start()) for path, match in blocks), results[len(pending):], strict=True))
    for path, text in files.files.items():
        if path.endswith(".md"):
            changes[path] = PYTHON_BLOCK.sub(lambda m: _block(done[(path, m.start())], path), text)
    return files.replace(changes)


def _block(result: tuple[str, str], path: str) -> str:
    formatted, problem = result
    if problem:
        raise FormatError(f"{path}: a Python example does not parse: {problem}")
    return f"```python\n{formatted}```"


def _format_all(pending: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(formatted, problem) per source: from the cache, else by the engine, all missing ones in one run."""
    tool = (f"ruff {cache.version('ruff')} line-length={LINE_LENGTH} target=py310, "
            f"black {cache.version('black')} where a code line stays long (not only by a name), "
            f"a type-ignore would move or combining marks are counted, "
            f"imports tidied")
    keys = [cache.key("format", (tool, "tidy" if _tidied(path) else "plain", source)) for path, source in pending]
    results: list[tuple[str, str] | None] = []
    for entry in keys:
        hit = cache.get("format", entry)
        results.append((hit, "") if hit is not None else None)
    missing = [i for i, found in enumerate(results) if found is None]
    for i, done in zip(missing, _run_engine([pending[i] for i in missing]), strict=True):
        results[i] = done
        if not done[1]:
            cache.put("format", keys[i], done[0])
    return [r for r in results if r is not None]


def _run_engine(pending: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """One formatter process over a scratch folder holding every source; each result proven to compile."""
    if not pending:
        return []
    problems = [""] * len(pending)
    _sweep()
    with tempfile.TemporaryDirectory(prefix=f"{_SCRATCH}{os.getpid()}-") as scratch:
        files = [Path(scratch) / _folder(path, source) / f"{i}.py" for i, (path, source) in enumerate(pending)]
        for file, (_, source) in zip(files, pending, strict=True):
            file.parent.mkdir(exist_ok=True)
            file.write_bytes(source.encode("utf-8"))
        run = _tidy_and_format(scratch)
        if run.returncode != 0:  # a source that does not parse: name it, and format the others
            problems = [_syntax_problem(source, path) for path, source in pending]
            for file, problem in zip(files, problems, strict=True):
                if problem:
                    file.unlink()
            run = _tidy_and_format(scratch)
            if run.returncode != 0:
                raise FormatError(f"the formatter failed ({run.returncode}): {(run.stderr or run.stdout).strip()}")
        results: list[tuple[str, str]] = []
        for file, (path, source), problem in zip(files, pending, problems, strict=True):
            if problem:
                results.append(("", problem))
                continue
            formatted = file.read_bytes().decode("utf-8")
            if file.parent.name.endswith("-black") or _long_code_line(formatted):
                formatted = _black(formatted)
            results.append((formatted, _syntax_problem(formatted, path, compiled=True)))
    return results


def _long_code_line(source: str) -> bool:
    """A line too long that no string explains: where ruff's formatter and black part ways (black wraps
    an unsplittable right-hand side in parentheses that do not make it fit; ruff leaves it long). A
    line long because of a string literal is left alone by both."""
    lines = source.split("\n")
    inside = False  # within a triple-quoted string, as far as a plain scan can tell
    suspects = False
    for line in lines:
        quoted = line.count('"""') % 2 == 1
        if len(line) > LINE_LENGTH and not inside and not quoted and '"' not in line and "'" not in line \
                and "#" not in line and not _UNSPLITTABLE.fullmatch(line):
            suspects = True
            break
        inside ^= quoted
    if not suspects:
        return False
    # The scan can be fooled by quotes inside strings: the tokenizer decides.
    long = {number for number, line in enumerate(lines, start=1)
            if len(line) > LINE_LENGTH and not _UNSPLITTABLE.fullmatch(line)}
    if not long:
        return False
    explained: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in (tokenize.STRING, tokenize.COMMENT, FSTRING_START):
            explained.update(range(token.start[0], token.end[0] + 1))
    return bool(long - explained)


# Lines long only because a name is: neither formatter has anywhere to split them, and both leave them
# as they are (`from <long module> import (`, `class <LongName>(`, a lone name in brackets or a union,
# a bare annotation). On GitHub's spec they sent 938 of 944 files to black for nothing.
# A line that ends by opening a call's brackets after a long name (assigned, awaited or a keyword
# argument) is split there already, by both alike; an empty call `()` is not, and is left to black.
_UNSPLITTABLE = re.compile(r"\s*(?:from [\w.]+ import \(|(?:async )?def \w+\(|class \w+\(|(?:\| )?[\w.]+,?|\w+: [\w.]+"
                           r"|(?:[\w.]+ = |\w+=)?(?:await )?[\w.]+\()")


def _long_type_ignore(source: str) -> bool:
    """A `# type: ignore` on a statement too long for its line: black leaves the line whole so the
    comment stays where mypy reads it (the statement's first line); ruff's formatter splits the line and
    the comment lands on its last, where it silences nothing."""
    return any(len(line.split("# type: ignore", 1)[0].rstrip()) > LINE_LENGTH
               for line in source.split("\n") if "# type: ignore" in line)


def _black(source: str) -> str:
    """The fallback for a file the two formatters would write differently: black itself."""
    import black

    formatted: str = black.format_str(source, mode=black_mode())  # type: ignore[arg-type]
    return formatted


_SCRATCH = "careforge-format-"


def _sweep() -> None:
    """Remove the scratch folders of runs that were killed (SIGKILL leaves no time to clean up): each
    folder's name carries the pid of its run, and a folder whose run is gone is stale."""
    try:
        stale = [p for p in Path(tempfile.gettempdir()).glob(f"{_SCRATCH}*") if not _alive(p.name)]
    except OSError:
        return
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)


def _alive(name: str) -> bool:
    pid = name.removeprefix(_SCRATCH).split("-", 1)[0]
    if not pid.isdigit():
        return True  # not one of ours as named now: left alone
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _tidied(path: str) -> bool:
    """The model modules: their imports are written by the model generator, whether used or not (every
    other module's imports are written by the views, used and in order)."""
    return path.endswith("/models.py") or "/_models/" in path


def _folder(path: str, source: str) -> str:
    """Where a source waits in the scratch folder: model modules apart (their imports are tidied), and
    sources black must format itself apart (ruff's formatter does not touch them)."""
    by_black = _long_type_ignore(source) or _COMBINING.search(source) is not None
    return ("tidy" if _tidied(path) else "plain") + ("-black" if by_black else "")


# Combining marks: black counts each as a column, ruff's formatter as none, so near the limit they
# wrap lines differently; black formats such a source alone.
_COMBINING = regex.compile(r"[\p{Mn}\p{Me}]")


def _tidy_and_format(scratch: str) -> subprocess.CompletedProcess[str]:
    """The model modules' imports sorted and unused ones dropped (ruff's isort and pyflakes fixes), then
    every module formatted but those left to black."""
    root = Path(scratch)
    tidy = [str(root / name) for name in ("tidy", "tidy-black") if (root / name).is_dir()]
    if tidy:
        run = children.run([_ruff(), "check", "--fix-only", "--exit-zero", *_TIDY_OPTIONS, *tidy])
        if run.returncode != 0:
            return run
    formatted = [str(root / name) for name in ("tidy", "plain") if (root / name).is_dir()]
    if not formatted:
        return subprocess.CompletedProcess([], 0, "", "")
    return children.run([_ruff(), "format", *_RUFF_OPTIONS, *formatted])


def _ruff() -> str:
    from ruff.__main__ import find_ruff_bin

    return str(find_ruff_bin())


def _syntax_problem(source: str, path: str, *, compiled: bool = False) -> str:
    try:
        _compile(source, path) if compiled else ast.parse(source, filename=path)
    except (SyntaxError, SyntaxWarning, ValueError) as exc:
        return str(exc) or type(exc).__name__
    return ""


def _compile(source: str, path: str) -> None:
    """Compile, not only parse: duplicate arguments and misplaced names are compile-time errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", SyntaxWarning)  # an invalid escape sequence, for one
        compile(source, path, "exec", dont_inherit=True)


def _check_verbatim(sources: list[tuple[str, str]]) -> None:
    """Files copied as they are (the runtime) must compile; the same texts under the same Python and the
    same check did before."""
    entry = cache.key("compiles", (sys.version, cache.generator_digest(), *(part for pair in sources for part in pair)))
    if cache.get("compiles", entry) == "yes":
        return
    for path, source in sources:
        try:
            _compile(source, path)
        except (SyntaxError, SyntaxWarning) as exc:
            raise FormatError(f"{path}: runtime code does not parse: {exc}") from exc
    cache.put("compiles", entry, "yes")


PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)
