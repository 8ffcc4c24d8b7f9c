"""Views carry only text that went through escape.py: no field of a view is a plain `str`."""

from __future__ import annotations

import dataclasses
import sys
import typing
from types import ModuleType

import pytest

from generator.escape import Code, Doc, Markdown, Toml
from generator.view import model

SAFE_LEAVES: tuple[object, ...] = (Code, Doc, Markdown, Toml, bool)


def view_classes(module: ModuleType) -> list[type]:
    return [value for value in vars(module).values()
            if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == module.__name__]


def unsafe_fields(module: ModuleType) -> list[str]:
    """`Class.field: type` for every field whose type is not safe text, a flag or a view."""
    views = set(view_classes(module))

    def safe(tp: object) -> bool:
        if tp in SAFE_LEAVES or tp in views:
            return True
        if typing.get_origin(tp) is tuple:
            args = typing.get_args(tp)
            items = args[:1] if len(args) == 2 and args[1] is Ellipsis else args
            return bool(items) and all(safe(a) for a in items)
        return False

    problems = []
    for cls in sorted(views, key=lambda c: c.__name__):
        for name, tp in typing.get_type_hints(cls).items():
            if not safe(tp):
                problems.append(f"{cls.__name__}.{name}: {tp!r}")
    return problems


def test_there_are_views() -> None:
    names = {cls.__name__ for cls in view_classes(model)}
    assert {"PackageView", "ResourceView", "MethodView", "ClientView", "DocsView"} <= names


def test_view_fields_are_safe_text() -> None:
    assert unsafe_fields(model) == []


def test_every_view_is_reachable_from_the_package_view() -> None:
    # A view nobody reaches would escape the check above in practice: keep the set closed.
    reached: set[type] = set()
    stack: list[object] = [model.PackageView]
    while stack:
        tp = stack.pop()
        if typing.get_origin(tp) is tuple:
            stack.extend(a for a in typing.get_args(tp) if a is not Ellipsis)
        elif isinstance(tp, type) and dataclasses.is_dataclass(tp) and tp not in reached:
            reached.add(tp)
            stack.extend(typing.get_type_hints(tp).values())
    assert reached == set(view_classes(model))


BAD_MODULE = '''
from __future__ import annotations
from dataclasses import dataclass
from generator.escape import Code

@dataclass(frozen=True)
class Inner:
    text: str

@dataclass(frozen=True)
class Outer:
    name: Code
    inner: Inner
    items: tuple[str, ...]
    maybe: Code | None
    pairs: tuple[Code, str]
    count: int
'''


def test_the_check_finds_unsafe_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    module = ModuleType("bad_views")
    monkeypatch.setitem(sys.modules, "bad_views", module)
    exec(compile(BAD_MODULE, "bad_views", "exec"), module.__dict__)
    found = unsafe_fields(module)
    assert sorted(f.split(":")[0] for f in found) == ["Inner.text", "Outer.count", "Outer.items", "Outer.maybe",
                                                       "Outer.pairs"]


@pytest.mark.parametrize("leaf", [Code, Doc, Markdown, Toml])
def test_safe_text_types_are_newtypes_of_str(leaf: object) -> None:
    assert getattr(leaf, "__supertype__", None) is str
