"""The shortest plain string a regular expression finds: a sample value for a schema's `pattern`.

Deterministic (first alternative, fewest repeats, first character of a class), so the generated tests
do not change between runs. Patterns Python's parser cannot read give None; the caller then falls back.
"""

from __future__ import annotations

import re
import string
from typing import Any

try:
    import re._parser as _sre  # type: ignore[import-not-found,unused-ignore]
    from re._constants import (  # type: ignore[import-not-found,unused-ignore]
        ANY, ASSERT, ASSERT_NOT, AT, BRANCH, CATEGORY, GROUPREF, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, NEGATE,
        NOT_LITERAL, RANGE, SUBPATTERN,
    )
except ImportError:  # Python before 3.11
    import sre_parse as _sre
    from sre_constants import (
        ANY, ASSERT, ASSERT_NOT, AT, BRANCH, CATEGORY, GROUPREF, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, NEGATE,
        NOT_LITERAL, RANGE, SUBPATTERN,
    )

_CATEGORY = {"CATEGORY_DIGIT": "0", "CATEGORY_NOT_DIGIT": "a", "CATEGORY_SPACE": " ", "CATEGORY_NOT_SPACE": "a",
             "CATEGORY_WORD": "a", "CATEGORY_NOT_WORD": "-"}
# ECMA-262 Unicode property classes Python's `re` cannot parse, replaced by a member of each.
_PROPERTIES = {"L": "a", "Lu": "A", "Ll": "a", "N": "0", "Nd": "0", "P": ".", "S": "+", "Z": " "}
_CATEGORY_CLASS = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
                   "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}
_CANDIDATES = string.ascii_letters + string.digits + "-_. "


class _Unsupported(Exception):
    pass


def pattern_sample(pattern: str) -> str | None:
    try:
        parsed = _sre.parse(_plain(pattern))
        groups: dict[int, str] = {}
        return _sequence(list(parsed), groups)
    except Exception:  # noqa: BLE001 - any pattern we cannot read (_Unsupported included) falls back
        return None


def _plain(pattern: str) -> str:
    for name, member in _PROPERTIES.items():
        pattern = pattern.replace(f"\\p{{{name}}}", member).replace(f"\\p{{L&}}", "a")
    if "\\p{" in pattern or "\\P{" in pattern or "\\u{" in pattern:
        raise _Unsupported(pattern)
    return pattern


def _sequence(items: list[tuple[Any, Any]], groups: dict[int, str]) -> str:
    return "".join(_one(op, arg, groups) for op, arg in items)


def _one(op: Any, arg: Any, groups: dict[int, str]) -> str:
    if op is LITERAL:
        return chr(arg)
    if op is NOT_LITERAL:
        return next(c for c in _CANDIDATES if ord(c) != arg)
    if op is ANY:
        return "a"
    if op is IN:
        return _in(arg)
    if op is CATEGORY:
        return _CATEGORY.get(str(arg), "a")
    if op is BRANCH:
        return _sequence(list(arg[1][0]), groups)
    if op is SUBPATTERN:
        number, body = arg[0], list(arg[-1])
        text = _sequence(body, groups)
        if number is not None:
            groups[number] = text
        return text
    if op in (MAX_REPEAT, MIN_REPEAT):
        low, high, body = arg
        # At least one repeat where allowed: an empty value makes a poor path segment or name.
        return _sequence(list(body), groups) * min(max(int(low), 1), int(high))
    if op is GROUPREF:
        return groups.get(arg, "")
    if op in (AT, ASSERT_NOT):
        return ""
    if op is ASSERT:
        return ""  # a lookahead: the caller checks the result against the pattern anyway
    raise _Unsupported(str(op))


def _in(items: list[tuple[Any, Any]]) -> str:
    negated = bool(items) and items[0][0] is NEGATE
    members = items[1:] if negated else items
    if not negated:
        op, arg = members[0]
        if op is LITERAL:
            return chr(arg)
        if op is RANGE:
            return chr(arg[0])
        if op is CATEGORY:
            return _CATEGORY.get(str(arg), "a")
        raise _Unsupported(str(op))
    for candidate in _CANDIDATES:
        if not any(_matches(op, arg, candidate) for op, arg in members):
            return candidate
    raise _Unsupported("negated class")


def _matches(op: Any, arg: Any, char: str) -> bool:
    if op is LITERAL:
        return bool(ord(char) == arg)
    if op is RANGE:
        return bool(arg[0] <= ord(char) <= arg[1])
    if op is CATEGORY:
        return re.fullmatch(_CATEGORY_CLASS.get(str(arg), "."), char) is not None
    return True
