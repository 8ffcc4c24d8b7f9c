"""Lint findings remembered per spec text: a spec linted before is not linted (nor its tools imported) again."""

from __future__ import annotations

from typing import Any

from . import cache
from .diagnostics import Diagnostic, Location, Severity
from .cache import generator_digest
from .resolve import ResolvedSpec

_FIELDS = ("file", "pointer", "line", "column")


def _entry(spec: ResolvedSpec, strict: bool) -> str:
    tools = (generator_digest(), cache.version("openapi-schema-validator"), cache.version("jsonschema"))
    return cache.key("linted", (*tools, f"strict={strict}", *spec.texts()))


def cached(spec: ResolvedSpec, *, strict: bool) -> list[Diagnostic] | None:
    """lint.lint's findings if the same files were linted by the same code before, else None."""
    hit = cache.get_json("linted", _entry(spec, strict))
    if isinstance(hit, list):
        try:
            return [_decode(item) for item in hit]
        except (ValueError, KeyError, TypeError):
            pass  # an entry this code cannot read: lint again
    return None


def lint(spec: ResolvedSpec, *, strict: bool) -> list[Diagnostic]:
    """lint.lint's findings, from the cache when the same files were linted by the same code."""
    found = cached(spec, strict=strict)
    if found is not None:
        return found
    from . import lint as linter

    found = linter.lint(spec, strict=strict)
    cache.put_json("linted", _entry(spec, strict), [_encode(d) for d in found])
    return found


def _encode(found: Diagnostic) -> dict[str, Any]:
    where = found.location
    return {"severity": found.severity.value, "code": found.code, "message": found.message, "hint": found.hint,
            **{name: getattr(where, name) for name in _FIELDS}}


def _decode(item: dict[str, Any]) -> Diagnostic:
    where = Location(**{name: item[name] for name in _FIELDS})
    return Diagnostic(severity=Severity(item["severity"]), code=str(item["code"]), message=str(item["message"]),
                      location=where, hint=str(item["hint"]))
