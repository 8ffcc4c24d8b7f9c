"""The compiled check in front of openapi-spec-validator never lets an invalid spec through.

`spec_validator.gate_for` runs the validator with the document's shape checked by jsonschema-rs; it
may only say "nothing found". The judge is openapi-spec-validator itself with its Python backend (the
plain `validator_for`), run on the vendor specs and on edits of them that break them.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO
from generator import validate
from generator.load import load
from generator.resolve import resolve
from generator.spec_validator import OWN_CHECKS, gate_for, validator_for


def _judge_rejects(data: Any, uri: str) -> bool:
    validator = validator_for(validate.openapi_version(data), data, uri)
    try:
        return any(not isinstance(e, OWN_CHECKS) and not validate._ecma_regex(e) for e in validator.iter_errors())
    except Exception:  # noqa: BLE001 - the validator stopped: Careforge reports that as an error (E-VALIDATOR)
        return True


def _gate_passes(data: Any, uri: str) -> bool:
    return validate._passes(gate_for(validate.openapi_version(data), data, uri))


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if path:
        yield path
    if isinstance(value, dict):
        for key, member in value.items():
            yield from _nodes(member, (*path, key))
    elif isinstance(value, list):
        for index, member in enumerate(value):
            yield from _nodes(member, (*path, index))


def _broken(data: Any, rng: random.Random) -> Any:
    """One edit somewhere: a value of the wrong type, an unknown member, a member gone, a dangling $ref."""
    edited = copy.deepcopy(data)
    path = rng.choice(list(_nodes(edited)))
    parent = edited
    for step in path[:-1]:
        parent = parent[step]
    kind = rng.randrange(5)
    if kind == 0:
        parent[path[-1]] = 12345
    elif kind == 1:
        parent[path[-1]] = "a string"
    elif kind == 2 and isinstance(parent, dict):
        parent["bogus"] = 1
    elif kind == 3 and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = {"$ref": "#/components/schemas/NotThere"}
    return edited


def test_the_gate_is_installed() -> None:
    """jsonschema-rs is a dependency: without it every spec would take the slow path, silently."""
    assert gate_for("3.1.0", {}, "") is not None and gate_for("3.0.3", {}, "") is not None


@pytest.mark.parametrize("vendor", ["carehq", "casebook", "caqh"])
def test_the_gate_never_passes_what_the_validator_rejects(vendor: str) -> None:
    spec = resolve(load(REPO / "specs" / vendor / "openapi.yaml", f"specs/{vendor}/openapi.yaml"))
    data, uri = spec.root.data, spec.root.uri
    assert _gate_passes(data, uri) and not _judge_rejects(data, uri)  # the spec as it is: valid
    rng = random.Random(vendor)
    rejected = 0
    for _ in range(40):
        edited = _broken(data, rng)
        if _judge_rejects(edited, uri):
            rejected += 1
            assert not _gate_passes(edited, uri)
    assert rejected >= 10  # the edits do break specs: the assertion above was put to the test


def test_a_spec_the_gate_doubts_is_judged_by_the_validator(monkeypatch: pytest.MonkeyPatch) -> None:
    """A finding of the gate's own (its errors carry no keyword to report) leads to the full validator,
    whose verdict stands: here, valid."""
    import generator.spec_validator as spec_validator

    class Doubting:
        def iter_errors(self) -> Iterator[Exception]:
            yield ValueError("the gate's own doubt")

    monkeypatch.setattr(spec_validator, "gate_for", lambda *args: Doubting())
    spec = resolve(load(REPO / "specs" / "carehq" / "openapi.yaml", "specs/carehq/openapi.yaml"))
    assert list(validate._validator_errors(spec)) == []


def test_an_invalid_spec_is_reported_as_the_validator_says(tmp_path: Path) -> None:
    """The gate finds the problem; the message, its place and its hint come from the full validator."""
    path = tmp_path / "openapi.yaml"
    path.write_text("openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n"
                    "      responses:\n        '200': {description: ok, content: 5}\n")
    found = list(validate._validator_errors(resolve(load(path, "openapi.yaml"))))
    assert found and found[0].location.pointer.startswith("/paths/~1a/get/responses/200")
    assert found[0].location.line == 7
