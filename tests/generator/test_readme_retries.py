"""What each generated README says is retried is what the runtime retries (templates/runtime/_retry.py)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _runtime_statuses() -> list[int]:
    tree = ast.parse((REPO / "templates" / "runtime" / "_retry.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "RETRY_STATUSES"
                                                for t in node.targets):
            call = node.value
            assert isinstance(call, ast.Call) and isinstance(call.args[0], ast.Set)
            return sorted(int(ast.literal_eval(e)) for e in call.args[0].elts)
    raise AssertionError("RETRY_STATUSES is gone from the runtime")


def test_every_readme_names_the_statuses_the_runtime_retries() -> None:
    statuses = _runtime_statuses()
    readmes = sorted((REPO / "generated").glob("*/README.md"))
    assert readmes
    for readme in readmes:
        text = " ".join(readme.read_text(encoding="utf-8").split())
        said = re.search(r"Connection errors and ([\d, and]+) responses are retried", text)
        assert said, f"{readme}: the retry sentence is gone"
        assert sorted(int(n) for n in re.findall(r"\d+", said.group(1))) == statuses, readme
