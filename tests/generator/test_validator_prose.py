"""The validator's verdict on a piece is kept across edits of its summaries and descriptions only.

OpenAPI lets a summary or a description be any string, so a spec valid before such an edit is valid
after it. openapi-spec-validator, run cold on the whole edited document, is the judge of that. Text
inside data (examples, defaults, enums, extensions) is not prose: the validator checks defaults
against their schemas, so an edit there must be checked again.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import openapi_spec_validator
import pytest
from conftest import invoke

from generator.load import load
from generator.resolve import ResolvedSpec, resolve
from generator.validator_pieces import plan

SPECS = Path(__file__).resolve().parents[2] / "specs"
VENDORS = sorted(p.parent.name for p in SPECS.glob("*/openapi.yaml"))
_DATA = {"default", "example", "examples", "enum", "const", "value", "links", "mapping"}
_TEXTS = ["", "x", "Ünïcödé — ✓ 漢字", "line one\n\nline two: `code` *em*", "a" * 5000, "{not: yaml}", "$ref", "12"]


def _prose(value: Any, pointer: str = "") -> list[tuple[Any, str]]:
    """(container, member) of every summary and description string outside data."""
    found: list[tuple[Any, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("summary", "description") and isinstance(item, str):
                found.append((value, key))
            elif key not in _DATA and not str(key).startswith("x-"):
                found.extend(_prose(item, f"{pointer}/{key}"))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_prose(item, f"{pointer}/{index}"))
    return found


def _spec(data: Any, folder: Path) -> ResolvedSpec:
    """A spec read afresh (what is made of a spec is kept per spec object), with its root's data edited."""
    spec = resolve(load(folder / "openapi.yaml", "openapi.yaml"))
    spec.root.data = data  # the same files around it: only the root's data is edited
    return spec


def _keys(spec: ResolvedSpec) -> dict[str, str]:
    made = plan(spec, ("tool",))
    assert made is not None
    return made.keys


def _judge(data: Any, folder: Path) -> bool:
    try:
        openapi_spec_validator.validate(data, base_uri=(folder / "openapi.yaml").resolve().as_uri())
    except Exception:  # noqa: BLE001 - any complaint is a rejection
        return False
    return True


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_prose_edit_keeps_the_keys_and_the_spec_stays_valid(vendor: str) -> None:
    folder = SPECS / vendor
    spec = resolve(load(folder / "openapi.yaml", "openapi.yaml"))
    before = _keys(spec)
    edited = copy.deepcopy(spec.root.data)
    places = _prose(edited)
    assert len(places) > 10, "the spec should have summaries and descriptions to edit"
    rng = random.Random(vendor)
    for container, member in places:  # every one of them at once, each to another text
        container[member] = rng.choice(_TEXTS) + container[member][::-1]
    assert _keys(_spec(edited, folder)) == before
    assert _judge(edited, folder), "the validator should accept a spec whose prose alone changed"


def test_a_description_that_is_not_a_string_changes_the_key(tmp_path: Path) -> None:
    folder = _write(tmp_path, DEFAULTS)
    spec = resolve(load(folder / "openapi.yaml", "openapi.yaml"))
    before = _keys(spec)
    data = copy.deepcopy(spec.root.data)
    data["paths"]["/notes"]["get"]["summary"] = 12
    edited = _spec(data, folder)
    assert not _judge(data, folder)
    assert _keys(edited)["/paths/~1notes"] != before["/paths/~1notes"]


@pytest.mark.parametrize("where", ["default", "example", "x-note"])
def test_text_inside_data_is_not_prose(tmp_path: Path, where: str) -> None:
    folder = _write(tmp_path, DEFAULTS)
    spec = resolve(load(folder / "openapi.yaml", "openapi.yaml"))
    before = _keys(spec)
    data = copy.deepcopy(spec.root.data)
    data["components"]["schemas"]["Note"][where]["description"] = "far too long"
    edited = _spec(data, folder)
    assert _keys(edited)["/components/schemas/Note"] != before["/components/schemas/Note"]
    if where == "default":  # the validator checks a default against its schema: this edit breaks it
        assert _judge(spec.root.data, folder)
        assert not _judge(data, folder)


DEFAULTS = """\
openapi: 3.0.3
info: {title: Notes, version: "1", description: Notes kept}
paths:
  /notes:
    get:
      operationId: list_notes
      summary: List notes
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Note'}
components:
  schemas:
    Note:
      type: object
      description: A note
      properties:
        description: {type: string, maxLength: 4}
      default: {description: ok}
      example: {description: fine}
      x-note: {description: kept}
"""


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "openapi.yaml").write_text(text, encoding="utf-8")
    return folder


# OpenAPI 3.0 wants the parameters of an operation all different (uniqueItems): two that differ only in
# their descriptions become one value when an edit makes those the same, which the validator reports.
TWICE = """\
openapi: 3.0.3
info: {title: Notes, version: "1"}
tags: [{name: notes, description: Notes}]
paths:
  /notes:
    get:
      operationId: list_notes
      tags: [notes]
      parameters:
        - {name: limit, in: query, description: How many notes, schema: {type: integer}}
        - {name: limit, in: query, description: At most this many, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
              example: [a]
"""


def _findings(data: Any, folder: Path) -> set[str]:
    validator = openapi_spec_validator.OpenAPIV30SpecValidator(data, base_uri=(folder / "openapi.yaml").as_uri())
    return {f"{type(error).__name__}: {error.message}" for error in validator.iter_errors()}


def test_an_edit_that_makes_two_parameters_the_same_is_checked_again(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _write(tmp_path / "spec", TWICE)
    spec = resolve(load(folder / "openapi.yaml", "openapi.yaml"))
    before = _keys(spec)
    data = copy.deepcopy(spec.root.data)
    data["paths"]["/notes"]["get"]["parameters"][1]["description"] = "How many notes"
    assert _findings(data, folder) - _findings(spec.root.data, folder), "the judge should see them as one"
    assert _keys(_spec(data, folder))["/paths/~1notes"] != before["/paths/~1notes"]
    # As a user meets it: the run after the edit reports what a run without the cache reports.
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache"))
    invoke("validate", "openapi.yaml", cwd=folder)
    (folder / "openapi.yaml").write_text(TWICE.replace("At most this many", "How many notes"), encoding="utf-8")
    warm = invoke("validate", "openapi.yaml", cwd=folder)
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", "off")
    cold = invoke("validate", "openapi.yaml", cwd=folder)
    assert "error[E-OPENAPI]" in cold.stderr
    assert (warm.code, warm.stderr) == (cold.code, cold.stderr)
