"""The diff against hand-made spec pairs, one per rule (tests/diff/pairs/README.md).

Each pair's expected levels come from the OpenAPI Specification and oasdiff's documented checks, not
from our engine. Every pair is compared spec to spec; where the spec alone does not reach the expected
version bump (a change harmless on the wire that renames Python), both packages are generated and
their Python APIs compared as well.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diff.changes import Change, Level
from generator.diff.run import diff
from generator.diff.spec_diff import compare
from generator.diff.verdict import Bump, needed
from generator.load import load
from generator.pipeline import Target
from generator.resolve import resolve

PAIRS = Path(__file__).parent / "pairs"
FILES = sorted(PAIRS.rglob("*.yaml"))


def _write(pair: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    old, new = folder / "old" / "openapi.json", folder / "new" / "openapi.json"
    for path, data in ((old, pair["old"]), (new, pair["new"])):
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return old, new


def _matches(change: Change, at: str) -> bool:
    return any(w is not None and (w.pointer == at or w.pointer.startswith(at + "/") or at.startswith(w.pointer + "/"))
               for w in (change.old, change.new))


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(PAIRS).with_suffix("")) for p in FILES])
def test_pair(path: Path, tmp_path: Path) -> None:
    pair = yaml.safe_load(path.read_text(encoding="utf-8"))
    old, new = _write(pair, tmp_path)
    changes = compare(resolve(load(old, "old.json")), resolve(load(new, "new.json")))
    shown = "\n".join(f"  {c.level.label} {c.rule} {c.pointer}: {c.message}" for c in changes)
    for expected in pair["expect"]:
        level = Level.parse(expected["level"])
        assert any(c.level is level and _matches(c, expected["at"]) for c in changes), (
            f"{pair['about']}\nexpected {level.label} at {expected['at']}; found:\n{shown}")
    wanted = Bump[pair["bump"].upper()]
    spec_bump = needed([c.level for c in changes], "1.0.0")
    assert spec_bump <= wanted, f"{pair['about']}\nthe spec alone asks for {spec_bump.label}:\n{shown}"
    if spec_bump < wanted:
        report = diff(Target(spec=old, out=tmp_path / "o"), Target(spec=new, out=tmp_path / "n"))
        python = "\n".join(f"  {p.level.label} {p.path}: {p.message}" for p in report.python)
        assert report.bump is wanted, f"{pair['about']}\nwith the Python API: {report.bump.label}\n{shown}\n{python}"


def test_every_family_has_pairs() -> None:
    families = {p.parent.name for p in FILES}
    assert {"paths", "operations", "parameters", "request-bodies", "responses", "schemas-request",
            "schemas-response", "security", "servers", "extensions", "docs"} <= families
