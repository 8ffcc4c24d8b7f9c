"""The validator's verdicts remembered per piece never let an invalid edit through.

After a valid run fills the cache, one piece is broken: a path item, a component, the top level, a file
a `$ref` names, or a component a path item refers to (where only the path item's check sees it). Each
time the diagnostics must be exactly those of a cold run, and openapi-spec-validator, run cold on the
whole document, is the judge that the edit is invalid at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openapi_spec_validator
import pytest
import yaml

import generator.spec_validator
from generator.diagnostics import Diagnostic, has_errors
from generator.load import load
from generator.resolve import resolve
from generator.validate import validate

ROOT = """\
openapi: 3.1.0
info: {title: Pieces, version: "1"}
servers: [{url: "https://api.example.com"}]
tags: [{name: things}]
paths:
  /things:
    get:
      operationId: list_things
      summary: List things
      tags: [things]
      parameters:
        - $ref: '#/components/parameters/Limit'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
  /others:
    get:
      operationId: list_others
      summary: List others
      tags: [things]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'shared.yaml#/Other'}
components:
  schemas:
    Thing: {type: object, properties: {id: {type: integer}}}
  parameters:
    Limit: {name: limit, in: query, schema: {type: integer}}
"""
SHARED = "Other: {type: object, properties: {name: {type: string}}}\n"

# (what is broken, the file, the text replaced, its replacement)
BREAKS = [
    ("a path item", "openapi.yaml", "          description: ok\n          content:\n            application/json:\n"
     "              schema: {$ref: '#/components/schemas/Thing'}", "          content: {}"),
    ("a component", "openapi.yaml", "Thing: {type: object,", "Thing: {type: object, required: 3,"),
    ("the top level", "openapi.yaml", "info: {title: Pieces, version: \"1\"}", "info: {version: \"1\"}"),
    ("a file a $ref names", "shared.yaml", "{type: string}", "{type: 12}"),
    ("a component only a path item's check reads", "openapi.yaml", "schema: {type: integer}}",
     "schema: {type: 12}}"),
]


def _write(folder: Path, root: str = ROOT, shared: str = SHARED) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "shared.yaml").write_text(shared, encoding="utf-8")
    (folder / "openapi.yaml").write_text(root, encoding="utf-8")
    return folder / "openapi.yaml"


def _diagnostics(path: Path) -> list[Diagnostic]:
    return validate(resolve(load(path, "openapi.yaml")), strict=False)


def _oracle_accepts(path: Path, data: Any = None) -> bool:
    try:
        openapi_spec_validator.validate(data if data is not None else yaml.safe_load(path.read_text()),
                                        base_uri=path.resolve().as_uri())
    except Exception:  # noqa: BLE001 - any complaint is a rejection
        return False
    return True


@pytest.mark.parametrize(("what", "file", "old", "new"), BREAKS, ids=[b[0] for b in BREAKS])
def test_a_broken_piece_gets_the_diagnostics_of_a_cold_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           what: str, file: str, old: str, new: str) -> None:
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache"))
    path = _write(tmp_path / "spec")
    assert _oracle_accepts(path)
    assert not has_errors(_diagnostics(path))  # fills the cache with every piece's verdict
    edited = tmp_path / "spec" / file
    assert old in edited.read_text()
    edited.write_text(edited.read_text().replace(old, new), encoding="utf-8")
    assert not _oracle_accepts(path), f"the edit to {what} should make the spec invalid"
    warm = _diagnostics(path)
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", "off")
    cold = _diagnostics(path)
    assert any(d.code == "E-OPENAPI" for d in cold)
    assert warm == cold


def test_the_component_case_is_seen_only_through_the_path_item(tmp_path: Path) -> None:
    """Without the path item that refers to it, the broken parameter passes: so the case above shows
    that a path item's verdict is not reused when what it refers to changed."""
    what, _, old, new = BREAKS[-1]
    path = _write(tmp_path, ROOT.replace(old, new))
    data = yaml.safe_load(path.read_text())
    assert not _oracle_accepts(path, data)
    assert _oracle_accepts(path, {**data, "paths": {}})


def test_only_the_pieces_not_known_valid_are_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache"))
    path = _write(tmp_path)
    assert not has_errors(_diagnostics(path))
    path.write_text(ROOT.replace("operationId: list_others", "operationId: list_the_others"), encoding="utf-8")
    seen: list[Any] = []

    def recording(name: str) -> Any:
        real = getattr(generator.spec_validator, name)

        def call(version: str, data: Any, base_uri: str) -> Any:
            seen.append(data)
            return real(version, data, base_uri)
        return call

    # Whichever checks the pieces: the compiled gate, or the validator itself where the gate doubts.
    for name in ("gate_for", "validator_for"):
        monkeypatch.setattr(generator.spec_validator, name, recording(name))
    assert not has_errors(_diagnostics(path))
    assert [sorted(data["paths"]) for data in seen] == [["/others"]]
    assert seen[0]["components"] == {"schemas": {}, "parameters": {}}
    seen.clear()
    assert not has_errors(_diagnostics(path)) and seen == []  # every piece known valid now: no validator at all


def test_a_reference_to_a_whole_section_reaches_every_piece_in_it(tmp_path: Path) -> None:
    from generator.validator_pieces import plan

    text = ROOT.replace("components:\n", "x-every-parameter: {$ref: '#/components/parameters'}\ncomponents:\n")
    first = plan(resolve(load(_write(tmp_path, text), "openapi.yaml")), ("tool",))
    edited = plan(resolve(load(_write(tmp_path, text.replace("name: limit", "name: size")), "openapi.yaml")),
                  ("tool",))
    assert first is not None and edited is not None
    assert "/components/parameters/Limit" in first.reaches[""]
    changed = {piece for piece in first.keys if first.keys[piece] != edited.keys[piece]}
    assert changed == {"", "/components/parameters/Limit", "/paths/~1things"}
