"""Values picked for the generated tests, remembered per spec text: a spec sampled before is not checked
again, nor is the schema validator imported (half the time of a warm run)."""

from __future__ import annotations

import json

from .. import cache
from ..cache import generator_digest
from ..resolve import ResolvedSpec

_NAMESPACE = "samples"


class RememberedPicks:
    """(example, problem) per pick, keyed by where the schema is and what the pick was asked."""

    def __init__(self, spec: ResolvedSpec) -> None:
        tools = (generator_digest(), cache.version("openapi-schema-validator"), cache.version("jsonschema"),
                 cache.version("regex"))
        self._entry = cache.key(_NAMESPACE, (*tools, *spec.texts()))
        hit = cache.get_json(_NAMESPACE, self._entry)
        self._known: dict[str, list[str | None]] = hit if isinstance(hit, dict) else {}
        self._added = False

    @staticmethod
    def key(uri: str, pointer: str, given: object, writing: bool | None, filled: bool) -> str:
        return json.dumps([uri, pointer, given, writing, filled], ensure_ascii=False, sort_keys=True)

    def get(self, key: str) -> tuple[str | None, str] | None:
        found = self._known.get(key)
        if isinstance(found, list) and len(found) == 2 and isinstance(found[1], str) \
                and (found[0] is None or isinstance(found[0], str)):
            return found[0], found[1]
        return None

    def put(self, key: str, example: str | None, problem: str) -> None:
        self._known[key] = [example, problem]
        self._added = True

    def save(self) -> None:
        if self._added:
            cache.put_json(_NAMESPACE, self._entry, self._known)
