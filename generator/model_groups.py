"""The named schemas split into groups the model generator can run on apart from the rest.

A group is a strongly connected component of the reference graph; its document holds its schemas and
everything they reach, so its classes come out as in one run over the whole spec. A discriminated
union narrows the tag of each member, so its members and the union depend on each other (one group).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .graphs import reachable
from .model_split import _cycles

REF = "#/components/schemas/"


def references(schema: Any) -> tuple[set[str], set[str]]:
    """The schemas this one names, and those of them a discriminator under it names (they depend back)."""
    found: set[str] = set()
    tied: set[str] = set()
    _walk(schema, found, tied)
    return found, tied


def _walk(node: Any, found: set[str], tied: set[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, found, tied)
    elif isinstance(node, dict):
        if "discriminator" in node:
            inner: set[str] = set()
            for value in node.values():
                _walk(value, inner, tied)
            found |= inner
            tied |= inner
            return
        for value in node.values():
            _walk(value, found, tied)
    elif isinstance(node, str) and node.startswith(REF):
        found.add(node[len(REF):])


def groups(schemas: Mapping[str, Any]) -> tuple[list[list[str]], dict[str, set[str]]]:
    """The groups, each after the groups it depends on, and each schema's direct dependencies."""
    deps: dict[str, set[str]] = {name: set() for name in schemas}
    for name, schema in schemas.items():
        found, tied = references(schema)
        deps[name] |= {n for n in found if n in deps and n != name}
        for member in tied:
            if member in deps and member != name:
                deps[member].add(name)
    ordered = [sorted(group) for group in _cycles(list(schemas), deps)]
    return ordered, deps


def closure(group: list[str], deps: Mapping[str, set[str]]) -> list[str]:
    """The group's schemas and all they reach, sorted."""
    return sorted(reachable(group, deps))


def batches(docs: list[list[str]], count: int) -> list[list[int]]:
    """The groups (indexes into `docs`, each group's document) in at most `count` runs of about equal
    size that repeat few schemas: the group reaching most first, each into the run it adds least to
    among those still below an equal share, else into the run that stays smallest."""
    share = len(set().union(*docs)) / count if docs else 0
    runs: list[tuple[set[str], list[int]]] = [(set(), []) for _ in range(count)]
    for i in sorted(range(len(docs)), key=lambda i: (-len(docs[i]), i)):
        def cost(run: tuple[set[str], list[int]]) -> tuple[float, int, int]:
            added = sum(n not in run[0] for n in docs[i])
            return max(len(run[0]) + added, share), added, len(run[0])
        names, members = min(runs, key=cost)
        names.update(docs[i])
        members.append(i)
    return [sorted(members) for _, members in runs if members]
