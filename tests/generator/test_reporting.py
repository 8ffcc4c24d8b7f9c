"""Diagnostics as people and CI read them: grouped by code, quiet, verbose, coloured, or JSON lines."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import HERE, careforge

# Twelve operations without an operationId or a tag: two codes, twelve places each.
MANY = "openapi: 3.0.3\ninfo: {title: Many, version: '1'}\npaths:\n" + "".join(
    f"  /things{i}:\n    get:\n      responses: {{'200': {{description: ok}}}}\n" for i in range(12))


def _spec(tmp_path: Path) -> str:
    (tmp_path / "many.yaml").write_text(MANY, encoding="utf-8")
    return "many.yaml"


def test_warnings_are_grouped_by_code_with_a_summary(tmp_path: Path) -> None:
    run = careforge("validate", _spec(tmp_path), cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert run.stderr.count("warning[L-OPID-MISSING]: GET") == 3
    assert "warning[L-OPID-MISSING]: 9 more like the 3 above (--verbose shows every one)" in run.stderr
    assert "many.yaml: valid (0 errors, 24 warnings (L-OPID-MISSING 12, L-TAG-MISSING 12))" in run.stdout
    assert "\x1b[" not in run.stderr  # not a terminal: no colour


def test_verbose_shows_every_warning_and_quiet_none(tmp_path: Path) -> None:
    spec = _spec(tmp_path)
    verbose = careforge("validate", spec, "--verbose", cwd=tmp_path)
    assert verbose.stderr.count("warning[L-OPID-MISSING]: GET") == 12 and "more like" not in verbose.stderr
    quiet = careforge("validate", spec, "-q", cwd=tmp_path)
    assert quiet.code == 0 and quiet.stderr == ""


def test_json_lines_for_ci(tmp_path: Path) -> None:
    run = careforge("generate", _spec(tmp_path), "--out", "out", "--format", "json", cwd=tmp_path)
    assert run.code == 0, run.stderr
    objects = [json.loads(line) for line in run.stderr.splitlines()]
    diagnostics, [summary] = objects[:-1], objects[-1:]
    assert len(diagnostics) == 24 and {d["code"] for d in diagnostics} == {"L-OPID-MISSING", "L-TAG-MISSING"}
    assert all(d["file"] == "many.yaml" and d["line"] and d["pointer"].startswith("/paths/") for d in diagnostics)
    assert summary == {"summary": {"errors": 0, "warnings": 24}, "note": ""}


def test_colour_when_asked_and_never_with_no_color(tmp_path: Path) -> None:
    spec = _spec(tmp_path)
    coloured = careforge("validate", spec, "--color", cwd=tmp_path)
    assert "\x1b[33m\x1b[1mwarning[L-OPID-MISSING]" in coloured.stderr
    plain = careforge("validate", spec, cwd=tmp_path, env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain.stderr


def test_verbose_says_what_the_run_is_doing(tmp_path: Path) -> None:
    spec = str(HERE / "specs" / "union-samples.yaml")
    run = careforge("generate", spec, "--out", "out", "--verbose", cwd=tmp_path,
                    env={"CAREFORGE_CACHE_DIR": str(tmp_path / "cold")})
    assert run.code == 0, run.stderr
    assert "careforge: writing out (" in run.stderr
    # Not at a terminal and not --verbose: the same output however long the run takes.
    quiet = careforge("generate", spec, "--out", "out2", cwd=tmp_path,
                      env={"CAREFORGE_CACHE_DIR": str(tmp_path / "cold2")})
    assert quiet.code == 0 and "careforge: writing" not in quiet.stderr
