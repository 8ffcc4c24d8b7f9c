"""Values picked for the generated tests, remembered per piece of the spec (validator_pieces.py): a pick
depends on its schema and what that refers to, so after an edit only the picks in the pieces it touched
are checked again, nor is the schema validator imported when none is."""

from __future__ import annotations

import json

from .. import cache
from ..cache import generator_digest
from ..resolve import ResolvedSpec
from ..validator_pieces import cut

_NAMESPACE = "samples"
_WHOLE = "#whole"  # a spec that cannot be cut: its picks are remembered per spec text, as one piece

Key = tuple[str, str]  # (the piece the schema is part of, the pick)


class RememberedPicks:
    """(example, problem) per pick, keyed by where the schema is and what the pick was asked. One entry per
    spec file holds the picks of its pieces, each under the piece's key."""

    def __init__(self, spec: ResolvedSpec) -> None:
        self._tools = (generator_digest(), cache.version("openapi-schema-validator"), cache.version("jsonschema"),
                       cache.version("regex"))
        self._cut = cut(spec)
        self._entry = cache.key(_NAMESPACE, (*self._tools, spec.root.uri) if self._cut else
                                (*self._tools, *spec.texts()))
        hit = cache.get_json(_NAMESPACE, self._entry)
        self._stored: dict[str, dict[str, list[str | None]]] = \
            {k: v for k, v in hit.items() if isinstance(v, dict)} if isinstance(hit, dict) else {}
        self._keys: dict[str, str] = {}
        self._added = False

    def _piece_key(self, piece: str) -> str:
        if piece not in self._keys:
            self._keys[piece] = self._cut.key(_NAMESPACE, self._tools, piece) if self._cut else _WHOLE
        return self._keys[piece]

    def key(self, uri: str, pointer: str, given: object, writing: bool | None, filled: bool) -> Key:
        piece = self._cut.owner(uri, pointer) if self._cut else _WHOLE
        # The examples' keys in their order: a value picked is written as given.
        return piece, json.dumps([uri, pointer, given, writing, filled], ensure_ascii=False)

    def get(self, key: Key) -> tuple[str | None, str] | None:
        found = self._stored.get(self._piece_key(key[0]), {}).get(key[1])
        if isinstance(found, list) and len(found) == 2 and isinstance(found[1], str) \
                and (found[0] is None or isinstance(found[0], str)):
            return found[0], found[1]
        return None

    def put(self, key: Key, example: str | None, problem: str) -> None:
        self._stored.setdefault(self._piece_key(key[0]), {})[key[1]] = [example, problem]
        self._added = True

    def save(self) -> None:
        """The picks of the spec's pieces as they are now (those of pieces since changed are dropped)."""
        if not self._added:
            return
        if self._cut is not None:
            current = {self._piece_key(piece) for piece in self._cut.reaches}
            self._stored = {key: picks for key, picks in self._stored.items() if key in current}
        cache.put_json(_NAMESPACE, self._entry, self._stored)
