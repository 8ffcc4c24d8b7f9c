"""The attributes a generated client object has besides its resources, read from the runtime's source.

A resource takes its attribute name from a tag; a tag named like one of these (`send`, `base_url`,
`client_parameter`, ...) would shadow it and break every call. Reading the names from the code that
defines them means the list cannot fall behind it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_CLIENT_CLASSES = ("BaseClient", "SyncAPIClient", "AsyncAPIClient")
_TEMPLATE_MEMBER = re.compile(r"^    def (\w+)\(|^        self\.(\w+)\s*[:=]", re.MULTILINE)


def _runtime_members() -> set[str]:
    tree = ast.parse((_TEMPLATES / "runtime" / "_base_client.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for cls in tree.body:
        if not (isinstance(cls, ast.ClassDef) and cls.name in _CLIENT_CLASSES):
            continue
        for node in ast.walk(cls):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node in cls.body:
                found.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self" \
                    and isinstance(node.ctx, ast.Store):
                found.add(node.attr)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node in cls.body:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                found.update(t.id for t in targets if isinstance(t, ast.Name))
    return found


def _template_members() -> set[str]:
    # The client classes of _client.py.j2: their methods and the attributes their __init__ sets (the
    # resource properties are `{{ ... }}` and do not match a plain name).
    text = (_TEMPLATES / "package" / "_client.py.j2").read_text(encoding="utf-8")
    return {m.group(1) or m.group(2) for m in _TEMPLATE_MEMBER.finditer(text)}


def client_attributes() -> frozenset[str]:
    # Every class also has these, besides what object has.
    implicit = {"__dict__", "__weakref__", "__module__", "__annotations__", "__qualname__", "__slots__"}
    return frozenset(_runtime_members() | _template_members() | set(dir(object)) | implicit)
