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
