"""Test values are remembered per piece of the spec: an edit to a component a path item refers to makes
the path item's values be picked again, so the package is the one a cold run writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import HERE, generate, tree

SPEC = (HERE / "specs" / "union-samples.yaml").read_text(encoding="utf-8")
# The body's example, [{"b": "x"}], fits B until B's `b` is an integer: the path item itself is unchanged.
EDITED = SPEC.replace("properties: {b: {type: string}}", "properties: {b: {type: integer}}")


def test_a_changed_component_changes_the_values_of_the_path_item_that_refers_to_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert EDITED != SPEC
    spec = tmp_path / "spec.yaml"
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache"))
    spec.write_text(SPEC, encoding="utf-8")
    generate("spec.yaml", tmp_path / "before", cwd=tmp_path)
    spec.write_text(EDITED, encoding="utf-8")
    generate("spec.yaml", tmp_path / "warm", cwd=tmp_path)
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", "off")
    generate("spec.yaml", tmp_path / "cold", cwd=tmp_path)
    assert tree(tmp_path / "warm") == tree(tmp_path / "cold")
    assert tree(tmp_path / "warm") != tree(tmp_path / "before")


# Lizard is named only by the discriminator's mapping, not by any `$ref`, yet the example is checked against it
# (OpenAPI 3.0's discriminator): once Lizard's `name` is an integer, the example no longer fits.
MAPPED = (HERE / "specs" / "discriminator-samples.yaml").read_text(encoding="utf-8")
MAPPED_EDITED = MAPPED.replace("name: {type: string}}}", "name: {type: integer}}}")


def test_a_schema_named_only_by_a_discriminator_mapping_changes_the_values_of_what_uses_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert MAPPED_EDITED != MAPPED
    spec = tmp_path / "spec.yaml"
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache"))
    spec.write_text(MAPPED, encoding="utf-8")
    generate("spec.yaml", tmp_path / "before", cwd=tmp_path)
    spec.write_text(MAPPED_EDITED, encoding="utf-8")
    generate("spec.yaml", tmp_path / "warm", cwd=tmp_path)
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", "off")
    generate("spec.yaml", tmp_path / "cold", cwd=tmp_path)
    assert tree(tmp_path / "warm") == tree(tmp_path / "cold")
    assert tree(tmp_path / "warm") != tree(tmp_path / "before")
