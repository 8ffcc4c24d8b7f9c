"""Reference graphs: what a set of nodes reaches."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set


def reachable(starts: Iterable[str], edges: Mapping[str, Set[str]], *, known: Set[str] = frozenset()) -> set[str]:
    """The starts and every node an edge path leads to from them; `known` nodes count as reached
    already, so the paths through them are not followed."""
    todo = list(starts)
    seen = set(todo) | set(known)
    while todo:
        for node in edges[todo.pop()]:
            if node not in seen:
                seen.add(node)
                todo.append(node)
    return seen
