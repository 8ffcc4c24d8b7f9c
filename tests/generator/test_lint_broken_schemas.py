"""A schema the validator rejects must not crash lint on the way: the run reports, never a traceback.

Found by random edits of the vendor specs: an example checked against `type: strin`, `type: 12`, or a
3.1 `type: [..., "null"]` read as 3.0 stopped `generate` with an internal error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.pipeline import Target, build

SPEC = """\
openapi: {version}
info: {{title: Broken, version: "1"}}
paths:
  /things:
    get:
      operationId: list_things
      tags: [things]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: {type}
              example: hello
"""

CASES = {
    "unknown type name": ("3.1.0", "strin"),
    "a number as the type": ("3.1.0", "12"),
    "a 3.1 type list read as 3.0": ("3.0.3", '[string, "null"]'),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_broken_schema_is_reported_not_crashed_on(case: tuple[str, str], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", "off")
    version, kind = case
    spec = tmp_path / "openapi.yaml"
    spec.write_text(SPEC.format(version=version, type=kind), encoding="utf-8")
    with pytest.raises(SpecError) as raised:
        build(Target(spec=spec, out=tmp_path / "out", display="openapi.yaml"))
    codes = {d.code for d in raised.value.diagnostics}
    assert "E-OPENAPI" in codes, raised.value.diagnostics
    assert all(d.location.file == "openapi.yaml" for d in raised.value.diagnostics)
