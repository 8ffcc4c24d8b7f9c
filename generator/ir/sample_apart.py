"""A value for one member of a oneOf that the other members refuse.

JSON Schema's oneOf takes a value that exactly one member takes. Members that describe open objects
often overlap (Vonage's SMS and Error both take `{}`); a value that only one takes sets a property to
something the others refuse: another value of an enum, a value of another type for a property only
they describe, or the same at a deeper level (an item of an array).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..resolve import Cursor

if TYPE_CHECKING:
    from .samples import Sampler

_DEPTH = 4  # how deep a difference is looked for
_TRIES = 60  # values checked per pair of members (each is one validation)
_OTHER_TYPES: tuple[Any, ...] = (0, "string", True, [], {})  # for a property only the other member describes
_MISSING = object()


def apart(sampler: Sampler, member: Cursor, members: list[Cursor], value: Any, writing: bool | None) -> Any | None:
    """`value` (which `member` takes) changed until no other member takes it; None when no change found."""
    if not sampler.fits(member, value, writing=writing):
        return None
    for _ in range(len(members)):
        others = [m for m in members if m is not member and sampler.fits(m, value, writing=writing)]
        if not others:
            return value
        changed = _unlike(sampler, member, others[0], value, writing, 0, [_TRIES])
        if changed is None:
            return None
        value = changed
    return None


def _unlike(sampler: Sampler, mine: Cursor, other: Cursor, value: Any, writing: bool | None, depth: int,
            budget: list[int]) -> Any | None:
    """A value `mine` takes and `other` refuses, made from `value`."""
    if depth > _DEPTH or budget[0] <= 0:
        return None
    spec = sampler.spec
    if isinstance(value, dict):
        own = sampler.described(spec.deref(mine), 0)
        for prop, theirs in sampler.described(spec.deref(other), 0).items():
            for candidate in _candidates(sampler, own.get(prop, []), theirs, value.get(prop, _MISSING), writing,
                                         depth, budget):
                changed = {**value, prop: candidate}
                budget[0] -= 1
                if sampler.fits(mine, changed, writing=writing) and not sampler.fits(other, changed, writing=writing):
                    return changed
                if budget[0] <= 0:
                    return None
    if isinstance(value, list):
        my_items, their_items = spec.deref(mine).child("items"), spec.deref(other).child("items")
        if isinstance(my_items.value, dict) and isinstance(their_items.value, dict):
            first = value[0] if value else sampler.make(my_items, writing=writing, depth=depth + 1)
            item = _unlike(sampler, my_items, their_items, first, writing, depth + 1, budget)
            if item is not None:
                return [item, *value[1:]]
    return None


def _candidates(sampler: Sampler, mine: list[Cursor], theirs: list[Cursor], current: Any, writing: bool | None,
                depth: int, budget: list[int]) -> Any:
    """Values to try for a property: what `mine` allows besides the current value, else anything theirs refuses."""
    if not mine:
        yield from (v for v in _OTHER_TYPES if not all(sampler.fits(t, v, writing=writing) for t in theirs))
        return
    schema = sampler.spec.deref(mine[-1]).value
    for option in schema.get("enum", []) if isinstance(schema, dict) and isinstance(schema.get("enum"), list) else []:
        if option is not None and option != current:
            yield option
    base = current if current is not _MISSING else sampler.make(mine[-1], writing=writing, depth=depth + 1)
    deeper = _unlike(sampler, mine[-1], theirs[-1], base, writing, depth + 1, budget)
    if deeper is not None:
        yield deeper
