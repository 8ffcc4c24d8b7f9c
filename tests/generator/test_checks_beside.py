"""Lint and the OpenAPI validator run in a child beside the build: what is reported is exactly what the
same run reports with every check done in this process (one core, or no fork)."""

from __future__ import annotations

from pathlib import Path

import pytest

import generator.background
import generator.validate
from conftest import invoke, tree

WARNED = """\
openapi: 3.1.0
info: {title: Beside, version: "1"}
paths:
  /things:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {n: {type: integer}}}
              example: {n: "not a number"}
"""
# The same, and a response without its description: the validator rejects it.
REJECTED = WARNED.replace('          description: ok\n', '')


def _here_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generator.validate, "worth_it", lambda: False)
    monkeypatch.setattr(generator.background, "worth_it", lambda: False)


@pytest.mark.parametrize("text", [WARNED, REJECTED], ids=["warnings", "rejected"])
def test_the_same_report_with_the_checks_beside_or_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        text: str) -> None:
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", "off")
    (tmp_path / "spec.yaml").write_text(text, encoding="utf-8")
    beside = invoke("generate", "spec.yaml", "--out", "beside", cwd=tmp_path)
    _here_only(monkeypatch)
    here = invoke("generate", "spec.yaml", "--out", "here", cwd=tmp_path)
    assert "L-EXAMPLE-INVALID" in here.stderr
    assert (beside.code, beside.stderr) == (here.code, here.stderr)
    assert here.code == (2 if text is REJECTED else 0)
    if here.code == 0:
        assert tree(tmp_path / "beside") == tree(tmp_path / "here")
