"""Find every `$ref`, load the files they name, and check that each one lands somewhere."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import pointer as jp
from .diagnostics import Diagnostic, Severity, SpecError
from .load import Document, load

MAX_CHAIN = 64


@dataclass(frozen=True, slots=True)
class Cursor:
    """A value in the spec together with the document and pointer it came from."""

    doc: Document
    pointer: str
    value: Any

    def child(self, key: str | int) -> Cursor:
        container = self.value
        if isinstance(container, dict):
            return Cursor(self.doc, jp.join(self.pointer, key), container.get(str(key)))
        if isinstance(container, list) and isinstance(key, int) and 0 <= key < len(container):
            return Cursor(self.doc, jp.join(self.pointer, key), container[key])
        return Cursor(self.doc, jp.join(self.pointer, key), None)

    def items(self) -> Iterator[tuple[str, Cursor]]:
        if isinstance(self.value, dict):
            for key in self.value:
                yield key, self.child(key)

    def elements(self) -> Iterator[Cursor]:
        if isinstance(self.value, list):
            for index in range(len(self.value)):
                yield self.child(index)

    @property
    def ref(self) -> str | None:
        if isinstance(self.value, dict):
            ref = self.value.get("$ref")
            return ref if isinstance(ref, str) else None
        return None


class ResolvedSpec:
    """The root document and every document it refers to, with `$ref` following."""

    def __init__(self, root: Document, documents: dict[str, Document]) -> None:
        self.root = root
        self.documents = documents
        # Where each reference lands, by the document it is in and its text: the stages follow the same
        # few hundred references thousands of times.
        self._landing: dict[tuple[str, str], Cursor] = {}

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.root, "", self.root.data)

    def texts(self) -> list[str]:
        """Every file as a cache key sees it: its name, how it is shown, its text."""
        return [part for name in sorted(self.documents) for part in
                (name, self.documents[name].display, self.documents[name].text)]

    def target(self, cursor: Cursor) -> Cursor:
        """Where the `$ref` at `cursor` points (one step)."""
        ref = cursor.ref
        assert ref is not None
        known = self._landing.get((cursor.doc.uri, ref))
        if known is not None:
            return known
        doc, fragment = self._split(cursor.doc, ref)
        # A cursor holds the plain pointer: a fragment may percent-encode it (`%7Bid%7D` for `{id}`).
        found = Cursor(doc, jp.join("", *jp.split(fragment)), jp.resolve(doc.data, fragment))
        self._landing[(cursor.doc.uri, ref)] = found
        return found

    def deref(self, cursor: Cursor) -> Cursor:
        """Follow `$ref`s until a value that is not a reference."""
        for _ in range(MAX_CHAIN):
            if cursor.ref is None:
                return cursor
            cursor = self.target(cursor)
        raise AssertionError("reference chain checked for cycles by resolve()")

    def _split(self, doc: Document, ref: str) -> tuple[Document, str]:
        file_part, _, fragment = ref.partition("#")
        if not file_part:
            return doc, fragment
        return self.documents[_key(doc.path.parent / file_part)], fragment

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(sorted(d.path for d in self.documents.values()))


def _key(path: Path) -> str:
    return os.path.normpath(path.resolve())


def resolve(root: Document) -> ResolvedSpec:
    """Load referenced files and check every reference; raises SpecError listing all problems."""
    documents = {_key(root.path): root}
    problems: list[Diagnostic] = list(root.diagnostics)
    queue = [root]
    while queue:
        doc = queue.pop()
        for cursor in iter_refs(Cursor(doc, "", doc.data)):
            problems.extend(_load_target(cursor, documents, queue))
    spec = ResolvedSpec(root, documents)
    if not any(p.is_error for p in problems):
        for doc in list(documents.values()):
            for cursor in iter_refs(Cursor(doc, "", doc.data)):
                problems.extend(_check_target(spec, cursor))
    if any(p.is_error for p in problems):
        raise SpecError(problems)
    return spec


def iter_refs(cursor: Cursor) -> Iterator[Cursor]:
    """Every mapping with a string `$ref` under `cursor`. Only containers are visited (a scalar holds no
    reference) and a cursor is made only for what is found: it is walked several times a run."""
    doc = cursor.doc
    stack: list[tuple[str, Any]] = [(cursor.pointer, cursor.value)]
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, dict):
            if isinstance(value.get("$ref"), str):
                yield Cursor(doc, pointer, value)
            stack.extend((jp.join(pointer, key), item) for key, item in value.items()
                         if isinstance(item, (dict, list)))
        elif isinstance(value, list):
            stack.extend((f"{pointer}/{index}", item) for index, item in enumerate(value)
                         if isinstance(item, (dict, list)))


def _problem(cursor: Cursor, code: str, message: str, hint: str) -> Diagnostic:
    where = cursor.doc.locate(jp.join(cursor.pointer, "$ref"))
    return Diagnostic(severity=Severity.ERROR, code=code, message=message, location=where, hint=hint)


def _load_target(cursor: Cursor, documents: dict[str, Document], queue: list[Document]) -> list[Diagnostic]:
    ref = cursor.ref or ""
    file_part = ref.partition("#")[0]
    if not file_part:
        return []
    if urlsplit(file_part).scheme:
        hint = "download the file next to the spec and refer to it by a relative path"
        return [_problem(cursor, "E-REF-REMOTE", f"remote reference {ref!r} is not supported", hint)]
    path = cursor.doc.path.parent / file_part
    key = _key(path)
    if key in documents:
        return []
    display = os.path.normpath(os.path.join(os.path.dirname(cursor.doc.display), file_part))
    try:
        loaded = load(path, display)
    except SpecError as exc:
        if not path.is_file():
            hint = "check the file name; it is relative to the file that holds the $ref"
            return [_problem(cursor, "E-REF-FILE", f"{ref!r} names a file that does not exist", hint)]
        return list(exc.diagnostics)
    documents[key] = loaded
    queue.append(loaded)
    return list(loaded.diagnostics)


def _check_target(spec: ResolvedSpec, cursor: Cursor) -> list[Diagnostic]:
    ref = cursor.ref or ""
    seen = {(id(cursor.doc), cursor.pointer)}
    current = cursor
    for _ in range(MAX_CHAIN):
        try:
            current = spec.target(current)
        except (jp.PointerError, KeyError):
            hint = "check the spelling; a pointer looks like '#/components/schemas/Name'"
            return [_problem(cursor, "E-REF-DANGLING", f"{ref!r} points to nothing", hint)]
        if current.ref is None:
            return []
        mark = (id(current.doc), current.pointer)
        if mark in seen:
            break
        seen.add(mark)
    hint = "a $ref must end at a value; break the loop of references"
    return [_problem(cursor, "E-REF-CYCLE", f"{ref!r} is part of a loop of references", hint)]
