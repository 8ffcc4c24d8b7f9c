"""The root document cut into pieces the OpenAPI validator can vouch for one at a time.

A piece is a path item, a webhook, a component, or the top-level rest. Its cache key holds its own
value, every piece it reaches through `$ref`s and discriminators (transitively), the top-level rest, every other file
and the validator's version and configuration: the validator checks a piece by following its
references, and reads the document's version and dialect from the top. A document holding only the
pieces not yet known valid (and what they refer to) keeps every JSON pointer of the whole, so the
validator sees each of them exactly where it is; anything it reports sends the caller back to the
whole document, so diagnostics never depend on the cache.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from . import cache
from . import pointer as jp
from .graphs import reachable
from .resolve import Cursor, ResolvedSpec, iter_refs

NAMESPACE = "valid-piece"
_CUT = "1"  # part of every key: change it when what a piece is, or what it reaches, changes
TOP = ""  # the top-level rest: what is left when the pieces below are taken out
OTHER_FILES = "#files"  # every document but the root, as one piece
_SPLIT = ("paths", "webhooks")


@dataclass(frozen=True)
class Plan:
    keys: dict[str, str]  # piece -> its key
    reaches: dict[str, frozenset[str]]  # piece -> every piece it refers to, transitively, itself included
    entry: str  # where the keys of this spec file's valid pieces are kept: one entry, read and written once

    def unknown(self) -> list[str]:
        """Pieces no earlier run found valid under the same key."""
        known = cache.get_json(NAMESPACE, self.entry)
        valid = {key for key in known if isinstance(key, str)} if isinstance(known, list) else set()
        return [piece for piece, key in self.keys.items() if key not in valid]

    def remember(self) -> None:
        """The whole document was found valid, so every piece of it is (the keys of older texts go)."""
        cache.put_json(NAMESPACE, self.entry, sorted(set(self.keys.values())))


@dataclass(frozen=True)
class Cut:
    """A spec cut into pieces: each piece's digest and what it reaches (what a fact about it depends on)."""

    root: str  # the root document's URI
    digests: dict[str, str]  # piece -> digest of its value (TOP and OTHER_FILES too)
    reaches: dict[str, frozenset[str]]  # piece -> every piece it refers to, transitively, itself and TOP included

    def key(self, namespace: str, tool: Iterable[str], piece: str, digests: Mapping[str, str] | None = None) -> str:
        """A key for what is known of `piece` alone, by a tool: it changes when anything it reaches does
        (as `digests` sees each piece; the pieces' own digests unless given)."""
        seen = {**self.digests, **digests} if digests else self.digests
        reached = (f"{p}\0{seen[p]}" for p in sorted(self.reaches[piece]))
        return cache.key(namespace, (_CUT, *tool, seen[TOP], seen[OTHER_FILES], *reached))

    def owner(self, uri: str, pointer: str) -> str:
        """The piece a value at `pointer` of the document at `uri` is part of."""
        return _owners(pointer, self.digests)[0] if uri == self.root else OTHER_FILES


@functools.lru_cache(maxsize=2)
def cut(spec: ResolvedSpec) -> Cut | None:
    """The spec's pieces; None when the document is not shaped to be cut."""
    data = spec.root.data
    values = _pieces(data)
    if values is None:
        return None
    top = _top(data, values)
    digests = {piece: _digest(piece, value) for piece, value in values.items()}
    digests[TOP] = _digest(TOP, top)
    others = hashlib.sha256()
    for doc in sorted(spec.documents.values(), key=lambda d: d.uri):
        if doc is not spec.root:
            others.update(cache.key("file", (doc.uri, doc.text)).encode())
    digests[OTHER_FILES] = others.hexdigest()
    edges = _edges(spec, values)
    reaches = {piece: _reach(piece, edges) for piece in [TOP, OTHER_FILES, *values]}
    return Cut(root=spec.root.uri, digests=digests, reaches=reaches)


def plan(spec: ResolvedSpec, tool: Iterable[str]) -> Plan | None:
    """The pieces and their keys; None when the document is not shaped to be cut (the whole is checked)."""
    pieces = cut(spec)
    if pieces is None:
        return None
    tool = tuple(tool)
    values = _pieces(spec.root.data) or {}
    # The validator's verdict does not depend on what a summary or description says (OpenAPI gives each
    # any string), so its keys are blind to that text: a docs edit finds the verdict it had.
    blind = {piece: _digest(piece, _without_prose(value)) for piece, value in values.items()}
    blind[TOP] = _digest(TOP, _without_prose(_top(spec.root.data, values)))
    keys = {piece: pieces.key(NAMESPACE, tool, piece, blind) for piece in pieces.reaches if piece != OTHER_FILES}
    return Plan(keys=keys, reaches=pieces.reaches, entry=cache.key(NAMESPACE, (spec.root.uri,)))


def reduced(data: dict[str, Any], pieces: Iterable[str], plan: Plan) -> dict[str, Any]:
    """The root document with only `pieces` and what they refer to, each at its own pointer."""
    keep = set(plan.reaches[TOP])  # the top-level rest is always there, and so what it refers to
    for piece in pieces:
        keep |= plan.reaches[piece]
    values = _pieces(data) or {}
    result = _top(data, values)
    for piece in values:  # in document order, as the whole is read
        if piece in keep:
            section, *rest = _segments(piece)
            holder = result[section]
            for name in rest[:-1]:
                holder = holder[name]
            holder[rest[-1]] = values[piece]
    return result


def _pieces(data: Any) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        return None
    found: dict[str, Any] = {}
    for section in _SPLIT:
        if section in data:
            if not isinstance(data[section], dict):
                return None
            found.update({jp.join("", section, name): value for name, value in data[section].items()})
    components = data.get("components")
    if isinstance(components, dict):
        for kind, entries in components.items():
            if isinstance(entries, dict) and not kind.startswith("x-"):
                found.update({jp.join("", "components", kind, name): value for name, value in entries.items()})
    return found


def _top(data: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The root with every piece's section emptied (new containers: the document is not changed)."""
    top = dict(data)
    for section in _SPLIT:
        if section in top:
            top[section] = {}
    if any(piece.startswith("/components/") for piece in values):
        components = dict(top["components"])
        for piece in values:
            if piece.startswith("/components/"):
                components[_segments(piece)[1]] = {}
        top["components"] = components
    return top


def _segments(pointer: str) -> list[str]:
    # Pointers as cursors hold them: escaped, never percent-encoded (jp.split would decode a '%').
    return [jp.unescape(s) for s in pointer[1:].split("/")] if pointer else []


def _digest(piece: str, value: Any) -> str:
    # Keys in their order: what is made of a piece (a value's members, a model's fields) follows it.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=repr)
    return hashlib.sha256(f"{piece}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


# Members whose values are data, not OpenAPI objects (examples, defaults, enums, extensions, link
# arguments, discriminator mappings): text in them is kept, since a value can break a schema.
_DATA = frozenset({"default", "example", "examples", "enum", "const", "value", "links", "mapping"})
_PROSE = frozenset({"summary", "description"})


def _without_prose(value: Any) -> Any:
    """`value` with every summary and description string emptied, except inside data."""
    if isinstance(value, dict):
        return {key: "" if key in _PROSE and isinstance(item, str)
                else item if key in _DATA or str(key).startswith("x-") else _without_prose(item)
                for key, item in value.items()}
    if isinstance(value, list):
        blind = [_without_prose(item) for item in value]
        # Items that must all differ (OpenAPI 3.0's parameters) may differ in their text alone: then the
        # text is kept, or an edit making two the same would find the verdict of when they differed.
        edited = [j for j, item in enumerate(blind) if item != value[j]]
        if any(blind[i] == blind[j] for j in edited for i in range(len(blind)) if i != j):
            return value
        return blind
    return value


def _owners(pointer: str, values: Mapping[str, Any]) -> list[str]:
    """The pieces holding `pointer` in the root document: the one it is in, or all it holds (a `$ref`
    to `#/components/schemas` reaches every schema); the top-level rest when neither."""
    segments = _segments(pointer)
    for size in (2, 3):
        candidate = jp.join("", *segments[:size])
        if len(segments) >= size and candidate in values:
            return [candidate]
    inside = pointer + "/"
    return [TOP, *(piece for piece in values if piece.startswith(inside))]


def _edges(spec: ResolvedSpec, values: dict[str, Any]) -> dict[str, set[str]]:
    """Which pieces each piece refers to; the other files count as one piece."""
    edges: dict[str, set[str]] = {piece: set() for piece in [TOP, OTHER_FILES, *values]}
    for doc in spec.documents.values():
        for cursor in iter_refs(Cursor(doc, "", doc.data)):
            sources = _owners(cursor.pointer, values)[:1] if doc is spec.root else [OTHER_FILES]
            try:
                target = spec.target(cursor)
            except (jp.PointerError, KeyError):
                reached = [OTHER_FILES]  # cannot say where: depend on everything outside
            else:
                reached = _owners(target.pointer, values) if target.doc is spec.root else [OTHER_FILES]
            for source in sources:
                edges[source].update(reached)
        # A discriminator sends a value to the schema its tag names, through the mapping or by name
        # (`#/components/schemas/<tag>`): no `$ref` says which, so it reaches every schema there is.
        for pointer in _discriminators(doc.data):
            sources = _owners(pointer, values)[:1] if doc is spec.root else [OTHER_FILES]
            for source in sources:
                edges[source].update(_owners("/components/schemas", values))
                edges[source].add(OTHER_FILES)
    return edges


def _discriminators(data: Any) -> Iterator[str]:
    """The pointers of the mappings holding a `discriminator` member."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, dict):
            if isinstance(value.get("discriminator"), dict):
                yield pointer
            stack.extend((jp.join(pointer, key), item) for key, item in value.items()
                         if isinstance(item, (dict, list)))
        elif isinstance(value, list):
            stack.extend((jp.join(pointer, index), item) for index, item in enumerate(value)
                         if isinstance(item, (dict, list)))


def _reach(piece: str, edges: dict[str, set[str]]) -> frozenset[str]:
    return frozenset(reachable([piece], edges, known={TOP}))
