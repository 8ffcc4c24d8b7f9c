"""Every rule the pair corpus makes `careforge diff` report is listed in docs/diff-rules.md."""

from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path

import yaml

from generator.diff.spec_diff import compare
from generator.load import load
from generator.resolve import resolve

REPO = Path(__file__).resolve().parents[2]


def _documented() -> list[str]:
    text = (REPO / "docs" / "diff-rules.md").read_text(encoding="utf-8")
    return re.findall(r"`([a-z*][a-z0-9*-]*)`", text)


def _matches(rule: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(rule, p) for p in patterns)


def test_every_reported_rule_is_documented(tmp_path: Path) -> None:
    patterns = _documented()
    seen: dict[str, str] = {}
    for path in sorted((REPO / "tests" / "diff" / "pairs").rglob("*.yaml")):
        pair = yaml.safe_load(path.read_text(encoding="utf-8"))
        files = []
        for side in ("old", "new"):
            target = tmp_path / path.stem / f"{side}.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(pair[side]), encoding="utf-8")
            files.append(target)
        for change in compare(resolve(load(files[0], "old")), resolve(load(files[1], "new"))):
            seen.setdefault(change.rule, path.name)
    missing = sorted(f"{rule} (first in {where})" for rule, where in seen.items() if not _matches(rule, patterns))
    assert not missing, "rules not in docs/diff-rules.md:\n" + "\n".join(missing)
