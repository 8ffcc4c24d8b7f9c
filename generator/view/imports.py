"""Import lines that name only what a module uses, in the order ruff's isort rule (I001) wants.

What a module uses is read from the code the views wrote for it (the Python names in it) and from the
names its template writes around that code; a name imported but unused fails `ruff check` (F401), one
used but not imported fails mypy, so both halves are checked on every generated package.
"""

from __future__ import annotations

import functools
import io
import sys
import tokenize
from collections.abc import Iterable, Mapping, Sequence

from .. import cache
from ..escape import Code
from .model import ImportView


def names_in(codes: Iterable[str]) -> set[str]:
    """The names code reads: not attributes (`models.Page` reads `models`, not `Page`). Remembered per
    set of fragments (Python's tokenizer is slow, and most modules' code is the same from run to run)."""
    pending = [code for code in codes if code]
    # The tokenizer is part of the answer: Python 3.12 reads f-strings into tokens, 3.11 does not.
    entry = cache.key("names", (cache.generator_digest(), sys.version, *pending))
    hit = cache.get_json("names", entry)
    if isinstance(hit, list) and all(isinstance(name, str) for name in hit):
        return set(hit)
    found: set[str] = set()
    for code in pending:
        found |= _names(code)
    cache.put_json("names", entry, sorted(found))
    return found


@functools.lru_cache(maxsize=4096)
def _names(code: str) -> frozenset[str]:
    found: set[str] = set()
    tokens = [t for t in _tokens(code) if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)]
    for i, token in enumerate(tokens):
        if token.type != tokenize.NAME:
            continue
        if i == 0 or tokens[i - 1].string != ".":
            found.add(token.string)
    return frozenset(found)


def _tokens(code: str) -> list[tokenize.TokenInfo]:
    try:
        return list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError) as exc:  # a fragment the views made: a bug, not the spec's fault
        raise ValueError(f"generated code does not tokenize: {code[:80]!r}") from exc


def plain_imports(modules: Sequence[str], used: set[str]) -> tuple[Code, ...]:
    """`import x` for each of `modules` in use, sorted."""
    return tuple(Code(m) for m in sorted(modules) if m in used)


def from_imports(available: Mapping[str, Sequence[str]], used: set[str]) -> tuple[ImportView, ...]:
    """`from module import a, b` of the names in use, modules and names sorted as isort sorts them."""
    lines = []
    for module in sorted(available, key=_module_order):
        names = sorted((n for n in available[module] if n in used), key=_member_order)
        if names:
            lines.append(ImportView(module=Code(module), names=Code(", ".join(names))))
    return tuple(lines)


def sorted_names(names: Iterable[Code]) -> tuple[Code, ...]:
    """Names as isort orders them in one `from` import."""
    return tuple(sorted(names, key=_member_order))


def _module_order(module: str) -> tuple[int, str]:
    # Relative imports furthest first (`..` before `.`), then by name, case aside.
    dots = len(module) - len(module.lstrip("."))
    return -dots, module.lower()


def _member_order(member: str) -> tuple[int, str]:
    # isort's order by type: CONSTANTS, then Classes, then everything else.
    if len(member) > 1 and member.isupper():
        rank = 0
    elif member[:1].isupper():
        rank = 1
    else:
        rank = 2
    return rank, member.lower()
