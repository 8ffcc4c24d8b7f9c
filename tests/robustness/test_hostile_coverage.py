"""The hostile corpus reaches every place a spec string can appear.

Each slot below reads the strings at one place of a spec; a string is hostile when it holds a quote,
a backslash, a line break or another control character, template syntax, non-ASCII text, code, or is
a Python keyword, builtin or a name the generated modules use. Every slot must be hostile in at
least one case that is expected to generate cleanly (not `rejected-*`, not a known `bug-*`).
"""

from __future__ import annotations

import builtins
import json
import keyword
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from generator.load import _SpecLoader

from .test_hostile_specs import CASES, KNOWN_BUGS, case_name, is_rejected

Spec = dict[str, Any]
Slot = Callable[[Spec], Iterator[Any]]

_HOSTILE_TEXT = re.compile(r"""['"\\\x00-\x1f\x7f\u0085\u2028\u2029]|\{\{|\{%|__import__|[^\x00-\x7f]""")
_HOSTILE_NAMES = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(dir(builtins)) | {
    "self", "cls", "client", "models", "typing", "builtins", "body", "timeout", "extra_headers", "BaseModel", "Field",
    "Enum", "_missing_", "mro", "model_config",
}


def hostile(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int):
        return value < 0 or value >= 2**31
    if isinstance(value, str):
        return bool(_HOSTILE_TEXT.search(value)) or value in _HOSTILE_NAMES or value.strip() != value
    return False


def _dicts(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _dicts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _dicts(item)


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def _operations(spec: Spec) -> Iterator[dict[str, Any]]:
    for item in spec.get("paths", {}).values():
        for method in ("get", "put", "post", "delete", "patch"):
            if isinstance(item.get(method), dict):
                yield item[method]


def _parameters(spec: Spec, where: str) -> Iterator[dict[str, Any]]:
    for item in spec.get("paths", {}).values():
        sources = [item.get("parameters", [])] + [op.get("parameters", []) for op in _operations({"paths": {"": item}})]
        for params in sources:
            yield from (p for p in params if p.get("in") == where)


def _schemas(spec: Spec) -> Iterator[dict[str, Any]]:
    """Every schema object (components and inline), found as a dict with `type` or `properties`."""
    return (d for d in _dicts(spec) if "properties" in d or d.get("type") in ("string", "integer", "object", "array"))


def _media(spec: Spec) -> Iterator[dict[str, Any]]:
    for op in _operations(spec):
        body = op.get("requestBody", {})
        yield from body.get("content", {}).values()
        for response in op.get("responses", {}).values():
            yield from response.get("content", {}).values()


SLOTS: dict[str, Slot] = {
    "info.title": lambda s: iter([s["info"].get("title")]),
    "info.description": lambda s: iter([s["info"].get("description")]),
    "info.version": lambda s: iter([s["info"].get("version")]),
    "info.license.name": lambda s: iter([s["info"].get("license", {}).get("name")]),
    "server.url": lambda s: (v.get("url") for v in s.get("servers", [])),
    "server.description": lambda s: (v.get("description") for v in s.get("servers", [])),
    "server.variable.default": lambda s: (var.get("default") for v in s.get("servers", [])
                                          for var in v.get("variables", {}).values()),
    "tag.name": lambda s: (t.get("name") for t in s.get("tags", [])),
    "tag.description": lambda s: (t.get("description") for t in s.get("tags", [])),
    "tag.x-careforge-resource": lambda s: (t.get("x-careforge-resource") for t in s.get("tags", [])),
    "path (literal text)": lambda s: (re.sub(r"\{[^{}]*\}", "", p) for p in s.get("paths", {})),
    "path (template name)": lambda s: (n for p in s.get("paths", {}) for n in re.findall(r"\{([^{}]*)\}", p)),
    "operationId": lambda s: (op.get("operationId") for op in _operations(s)),
    "operation.summary": lambda s: (op.get("summary") for op in _operations(s)),
    "operation.description": lambda s: (op.get("description") for op in _operations(s)),
    "operation.x-careforge-method": lambda s: (op.get("x-careforge-method") for op in _operations(s)),
    "parameter.name (path)": lambda s: (p.get("name") for p in _parameters(s, "path")),
    "parameter.name (query)": lambda s: (p.get("name") for p in _parameters(s, "query")),
    "parameter.name (header)": lambda s: (p.get("name") for p in _parameters(s, "header")),
    "parameter.name (cookie)": lambda s: (p.get("name") for p in _parameters(s, "cookie")),
    "parameter.description": lambda s: (p.get("description") for w in ("path", "query", "header", "cookie")
                                        for p in _parameters(s, w)),
    "parameter.example": lambda s: (p.get("example") for w in ("path", "query") for p in _parameters(s, w)),
    "parameter.schema.default": lambda s: (p.get("schema", {}).get("default") for w in ("query", "header", "cookie")
                                           for p in _parameters(s, w)),
    "parameter.schema.enum (strings)": lambda s: (v for w in ("query", "header") for p in _parameters(s, w)
                                                 for v in p.get("schema", {}).get("enum", []) if isinstance(v, str)),
    "parameter.schema.enum (integers)": lambda s: (v for w in ("query", "header", "cookie") for p in _parameters(s, w)
                                                  for v in p.get("schema", {}).get("enum", []) if isinstance(v, int)),
    "schema name (component)": lambda s: iter(s.get("components", {}).get("schemas", {})),
    "schema.title": lambda s: (d.get("title") for d in _schemas(s)),
    "schema.description": lambda s: (d.get("description") for d in _schemas(s) if "properties" in d),
    "property name": lambda s: (n for d in _schemas(s) for n in d.get("properties", {})),
    "property.description": lambda s: (p.get("description") for d in _schemas(s)
                                       for p in d.get("properties", {}).values()),
    "property.enum (strings)": lambda s: (v for d in _schemas(s) for p in d.get("properties", {}).values()
                                         for v in p.get("enum", []) if isinstance(v, str)),
    "property.enum (integers)": lambda s: (v for d in _schemas(s) for p in d.get("properties", {}).values()
                                          for v in p.get("enum", []) if isinstance(v, int)),
    "property.default": lambda s: (p.get("default") for d in _schemas(s) for p in d.get("properties", {}).values()),
    "property.example": lambda s: (p.get("example") for d in _schemas(s) for p in d.get("properties", {}).values()),
    "schema.enum (component)": lambda s: (v for d in s.get("components", {}).get("schemas", {}).values()
                                         for v in d.get("enum", [])),
    "media example (keys and values)": lambda s: (v for m in _media(s) for v in _leaves(m.get("example"))),
    "response.description": lambda s: (r.get("description") for op in _operations(s)
                                       for r in op.get("responses", {}).values()),
    "requestBody.description": lambda s: (op.get("requestBody", {}).get("description") for op in _operations(s)),
    "securityScheme name": lambda s: iter(s.get("components", {}).get("securitySchemes", {})),
    "securityScheme.description": lambda s: (v.get("description") for v in
                                             s.get("components", {}).get("securitySchemes", {}).values()),
    "securityScheme.name (apiKey header)": lambda s: (v.get("name") for v in
                                                      s.get("components", {}).get("securitySchemes", {}).values()),
    "securityScheme.x-careforge-value": lambda s: (v.get("x-careforge-value") for v in
                                                   s.get("components", {}).get("securitySchemes", {}).values()),
}


def load(case: Path) -> Spec:
    text = case.read_text(encoding="utf-8")
    data = json.loads(text) if case.suffix == ".json" else yaml.load(text, Loader=_SpecLoader)
    assert isinstance(data, dict)
    return data


def covered(cases: list[Path]) -> dict[str, set[str]]:
    """Slot -> the cases in which it holds a hostile string."""
    found: dict[str, set[str]] = {slot: set() for slot in SLOTS}
    for case in cases:
        spec = load(case)
        for slot, read in SLOTS.items():
            if any(hostile(v) for v in read(spec)):
                found[slot].add(case_name(case))
    return found


def test_every_slot_is_hostile_in_a_case_that_must_generate() -> None:
    clean = [c for c in CASES if not is_rejected(c) and case_name(c) not in KNOWN_BUGS]
    found = covered(clean)
    missing = sorted(slot for slot, cases in found.items() if not cases)
    assert not missing, f"slots no passing case makes hostile: {missing}"
    assert len(SLOTS) >= 40


def test_the_hostile_predicate() -> None:
    for value in ["a'b", 'a"b', "a\\b", "a\nb", "\x00", "{{ x }}", "{% if %}", "é", "class", "self", " x", -1, 2**40]:
        assert hostile(value), value
    for value in ["plain", "pets_list", 3, True, None, "Pet2"]:
        assert not hostile(value), value
