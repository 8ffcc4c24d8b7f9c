"""The OpenAPI validator runs in a child beside the other stages; what is reported never depends on it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import HERE, invoke, tree
from generator.background import Background

BROKEN = HERE / "broken"
VALID = HERE / "specs" / "union-samples.yaml"


def test_the_child_returns_what_the_work_returns() -> None:
    assert Background(lambda: [1, "two", {"three": 3}]).result() == [1, "two", {"three": 3}]


def test_a_child_that_fails_or_dies_answers_none() -> None:
    def fails() -> int:
        raise ValueError("no")

    def dies() -> int:
        os._exit(7)

    assert Background(fails).result() is None
    assert Background(dies).result() is None


@pytest.fixture
def cold_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.usefixtures("cold_cache")
def test_without_a_child_the_report_is_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A rejected spec the IR build cannot read either ('info' missing): the validator's report, exit 2.
    shutil.copy(BROKEN / "missing-info.yaml", tmp_path)
    expected = (BROKEN / "missing-info.expected").read_text(encoding="utf-8")
    beside = invoke("generate", "missing-info.yaml", "--out", tmp_path / "out", cwd=tmp_path)
    monkeypatch.setattr(Background, "result", lambda self: None)  # the child said nothing: checked in process
    alone = invoke("generate", "missing-info.yaml", "--out", tmp_path / "out", cwd=tmp_path)
    for run in (beside, alone):
        assert run.code == 2
        assert run.stderr.startswith(expected), run.stderr
    assert beside.stderr == alone.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.usefixtures("cold_cache")
def test_a_stage_that_fails_on_a_rejected_spec_is_not_a_bug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.ir.build

    def crashes(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the IR build met a shape the validator rejects")

    monkeypatch.setattr(generator.ir.build, "build", crashes)
    shutil.copy(BROKEN / "wrong-member-type.yaml", tmp_path)
    rejected = invoke("generate", "wrong-member-type.yaml", "--out", tmp_path / "out", cwd=tmp_path)
    assert rejected.code == 2 and "error[E-OPENAPI]" in rejected.stderr and "RuntimeError" not in rejected.stderr
    # On a spec the validator passes, the same failure is Careforge's own bug, and says so.
    valid = invoke("generate", str(VALID), "--out", tmp_path / "valid", cwd=tmp_path)
    assert valid.code == 3 and "internal error" in valid.stderr and "RuntimeError" in valid.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "valid").exists()


@pytest.mark.usefixtures("cold_cache")
def test_output_is_the_same_with_or_without_the_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert invoke("generate", str(VALID), "--out", tmp_path / "beside", cwd=tmp_path).code == 0
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "other-cache"))
    monkeypatch.setattr(Background, "result", lambda self: None)
    assert invoke("generate", str(VALID), "--out", tmp_path / "alone", cwd=tmp_path).code == 0
    assert tree(tmp_path / "beside") == tree(tmp_path / "alone")
