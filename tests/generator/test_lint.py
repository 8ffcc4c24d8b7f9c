"""`careforge check` runs ruff over a generated package with the rules in the package's own pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import REPO, generate, invoke

from generator.checks.lint import lint
from generator.format import LINE_LENGTH


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lint")
    generate(str(REPO / "specs" / "caqh" / "openapi.yaml"), root / "caqh", cwd=root)
    return root / "caqh"


def test_a_generated_package_passes_and_check_says_so(package: Path) -> None:
    assert lint(package) == (True, "")
    run = invoke("check", str(REPO / "specs" / "caqh" / "openapi.yaml"), "--out", str(package), cwd=package.parent)
    assert run.code == 0, run.stderr
    assert f"lint: ruff check passed on {package}" in run.stdout


def test_the_rules_are_stated_in_the_package(package: Path) -> None:
    ruff = tomllib.loads((package / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]
    assert ruff["line-length"] == LINE_LENGTH  # black's: import sorting wraps where black does
    assert {"E", "F", "W", "I"} <= set(ruff["lint"]["select"])


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("added", "rule"), [
    ("import os\n", "F401"),  # unused
    ("import zlib\nimport abc\n", "I001"),  # unsorted (and unused)
    ("x = 1 \n", "W291"),  # trailing whitespace
])
def test_a_lint_error_fails_naming_the_file_and_rule(package: Path, tmp_path: Path, added: str, rule: str) -> None:
    copy = tmp_path / "caqh"
    copy.mkdir()
    for path in package.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            target = copy / path.relative_to(package)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    resource = next((copy / "caqh_client" / "resources").glob("[!_]*.py"))
    _edit(resource, "from __future__ import annotations\n", "from __future__ import annotations\n\n" + added)
    passed, output = lint(copy)
    assert not passed
    where = resource.relative_to(copy).as_posix()
    assert any(line.startswith(f"{where}:") and f" {rule} " in line for line in output.splitlines()), output
