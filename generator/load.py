"""Load a spec file (YAML or JSON) into plain data plus a map from JSON pointers to lines."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import yaml

from . import pointer as jp
from .diagnostics import Diagnostic, Location, Severity, SpecError
from .json_positions import json_positions

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SpecLoader(_Loader):  # type: ignore[misc,valid-type]
    """YAML with JSON-compatible scalars: only true/false are booleans, dates stay strings."""


_YAML_11_ONLY = {"bool", "timestamp", "int", "float", "value"}
_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag.rsplit(":", 1)[-1] not in _YAML_11_ONLY]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}
# YAML 1.2 core schema: what JSON means by a number, plus 0o/0x integers and .inf/.nan.
_SpecLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_SpecLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_SpecLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+.0123456789"),
)


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text.lstrip("+"))
    base = 8 if digits.startswith("0o") else 16 if digits.startswith("0x") else 10
    return sign * int(digits[2:] if base != 10 else digits, base)


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node)).lower()
    return float(text.replace(".inf", "inf").replace(".nan", "nan"))


_SpecLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_SpecLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)

_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}

Position = tuple[int, int]


class Document:
    """One loaded file: its data, its text, and where each pointer sits in the text."""

    def __init__(self, path: Path, display: str, text: str, data: Any, positions: dict[str, Position] | None,
                 *, is_json: bool | None = None):
        self.path = path
        self.is_json = path.suffix.lower() == ".json" if is_json is None else is_json
        self.display = display
        self.text = text
        self.data = data
        self._positions = positions
        self.diagnostics: tuple[Diagnostic, ...] = ()
        self._uri: str | None = None
        self.digest: str | None = None  # of the bytes read: what a manifest records, not the file as it is later

    @property
    def uri(self) -> str:
        # Asked for at every cursor step: resolving the path each time costs a stat per component.
        if self._uri is None:
            self._uri = self.path.resolve().as_uri()
        return self._uri

    def locate(self, pointer: str) -> Location:
        positions = self._positions_map()
        probe = pointer
        while probe not in positions and probe:
            probe = probe.rsplit("/", 1)[0]
        line, column = positions.get(probe, (1, 1))
        return Location(file=self.display, pointer=pointer, line=line, column=column)

    def _positions_map(self) -> dict[str, Position]:
        if self._positions is None:
            try:
                if self.is_json:
                    self._positions = json_positions(self.text)  # parsed already: scan, not compose
                else:
                    _, self._positions, _ = _compose(self.text, self.display)
            except (yaml.YAMLError, RecursionError, SpecError):
                self._positions = {}
        return self._positions


def load(path: Path, display: str, *, is_json: bool | None = None) -> Document:
    """Read and parse `path`; `display` is how messages name it. Raises SpecError. JSON or YAML as its
    name says, unless `is_json` says (a JSON text under a YAML name parses far faster as JSON)."""
    raw, text = _read_text(path, display)
    if path.suffix.lower() == ".json" if is_json is None else is_json:
        doc = Document(path, display, text, _parse_json(text, display), None, is_json=True)
    else:
        data, positions, problems = _compose(text, display)
        doc = Document(path, display, text, data, positions)
        doc.diagnostics = tuple(problems)
    doc.digest = hashlib.sha256(raw).hexdigest()
    return doc


def _read_text(path: Path, display: str) -> tuple[bytes, str]:
    def fail(message: str, hint: str, line: int = 1, column: int = 1) -> SpecError:
        where = Location(file=display, line=line, column=column)
        return SpecError([Diagnostic(severity=Severity.ERROR, code="E-FILE", message=message, location=where, hint=hint)])

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail("file not found", "check the path; $refs are relative to the file that contains them") from None
    except OSError as exc:
        raise fail(f"cannot read the file: {exc.strerror}", "check that it is a readable file") from None
    try:
        return raw, raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - raw.rfind(b"\n", 0, exc.start)
        raise fail(f"not UTF-8 text (byte {exc.start})", "save the spec as UTF-8", line, column) from None


def _error(display: str, code: str, message: str, line: int, column: int, hint: str, pointer: str = "") -> Diagnostic:
    where = Location(file=display, pointer=pointer, line=line, column=column)
    return Diagnostic(severity=Severity.ERROR, code=code, message=message, location=where, hint=hint)


def _parse_json(text: str, display: str) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                raise ValueError(f"duplicate key {key!r}")
            result[key] = value
        return result

    try:
        return json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise SpecError([_error(display, "E-JSON-SYNTAX", exc.msg, exc.lineno, exc.colno, "fix the JSON syntax")]) from None
    except ValueError as exc:
        # JSON is YAML: the YAML composer knows where every key is.
        located = [d for d in _compose(text, display)[2] if d.code == "E-DUPLICATE-KEY"]
        hint = "each key may appear once in an object"
        raise SpecError(located or [_error(display, "E-DUPLICATE-KEY", str(exc), 1, 1, hint)]) from None
    except RecursionError:
        raise SpecError([_error(display, "E-TOO-DEEP", "nesting is too deep", 1, 1, "flatten the document")]) from None


def _compose(text: str, display: str) -> tuple[Any, dict[str, Position], list[Diagnostic]]:
    loader = _SpecLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise SpecError([_error(display, "E-YAML-SYNTAX", problem, line, column, "fix the YAML syntax")]) from None
    except yaml.YAMLError as exc:
        raise SpecError([_error(display, "E-YAML-SYNTAX", str(exc), 1, 1, "fix the YAML syntax")]) from None
    finally:
        loader.dispose()
    walker = _Walker(loader, display)
    try:
        data = walker.value(node, "", ()) if node is not None else None
    except RecursionError:
        raise SpecError([_error(display, "E-TOO-DEEP", "nesting is too deep", 1, 1, "flatten the document")]) from None
    if walker.fatal:
        raise SpecError(walker.problems)
    return data, walker.positions, walker.problems


class _Walker:
    """Turns a composed YAML node tree into data, recording positions and duplicate keys."""

    def __init__(self, loader: Any, display: str) -> None:
        self.loader = loader
        self.display = display
        self.positions: dict[str, Position] = {}
        self.problems: list[Diagnostic] = []
        self.fatal = False
        self._memo: dict[int, Any] = {}

    def _problem(self, node: yaml.Node, code: str, message: str, hint: str, pointer: str) -> None:
        mark = node.start_mark
        self.problems.append(_error(self.display, code, message, mark.line + 1, mark.column + 1, hint, pointer))
        self.fatal = True

    def value(self, node: yaml.Node, pointer: str, stack: tuple[int, ...]) -> Any:
        self.positions.setdefault(pointer, (node.start_mark.line + 1, node.start_mark.column + 1))
        if id(node) in stack:
            self._problem(node, "E-YAML-RECURSIVE", "an alias refers to itself", "use $ref for recursion", pointer)
            return None
        if id(node) in self._memo:
            return self._memo[id(node)]
        if isinstance(node, yaml.ScalarNode):
            result = self._scalar(node, pointer)
        elif isinstance(node, yaml.SequenceNode):
            inner = (*stack, id(node))
            result = [self.value(item, jp.join(pointer, i), inner) for i, item in enumerate(node.value)]
        else:
            assert isinstance(node, yaml.MappingNode)
            result = self._mapping(node, pointer, (*stack, id(node)))
        self._memo[id(node)] = result
        return result

    def _scalar(self, node: yaml.ScalarNode, pointer: str) -> Any:
        if node.tag == _STR:  # most scalars: the constructor would return the node's text, with bookkeeping
            return node.value
        if node.tag not in _SCALAR_TAGS:
            self._problem(node, "E-YAML-TAG", f"unsupported YAML tag {node.tag!r}", "use plain JSON-compatible values", pointer)
            return None
        return self.loader.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, pointer: str, stack: tuple[int, ...]) -> dict[str, Any]:
        self.loader.flatten_mapping(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node, "E-YAML-KEY", "a mapping key must be a plain value", "quote the key", pointer)
                continue
            key = _key_text(self._scalar(key_node, pointer))
            child = jp.join(pointer, key)
            if key in result:
                self._problem(key_node, "E-DUPLICATE-KEY", f"duplicate key {key!r}", "each key may appear once", child)
                continue
            self.positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.value(value_node, child, stack)
        return result


def _key_text(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)
