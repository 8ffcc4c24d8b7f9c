"""JSON Schema's `pattern` as ECMA-262 reads it: `\\p{L}` and the other Unicode property classes are valid
there, and Python's `re` refuses them. The `regex` module reads them as ECMA-262 does."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import jsonschema.exceptions
import regex


@lru_cache(maxsize=512)
def compiled(pattern: str) -> regex.Pattern[str] | None:
    """The pattern, or None when neither ECMA-262 nor Python syntax can read it (nothing is then checked)."""
    try:
        return regex.compile(pattern)
    except (regex.error, ValueError, OverflowError):
        return None


def pattern_keyword(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """A drop-in for jsonschema's `pattern` keyword."""
    if not isinstance(instance, str) or not isinstance(pattern, str):
        return
    found = compiled(pattern)
    if found is not None and not found.search(instance):
        yield jsonschema.exceptions.ValidationError(f"{instance!r} does not match {pattern!r}")
