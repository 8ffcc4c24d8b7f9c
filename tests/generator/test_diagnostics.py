"""Broken specs: each is reported as `file:line:col: error[CODE]: message (#/pointer)` with a hint,
exits 2, and writes nothing.

Cases live in `broken/`, one per file (or per folder, with `openapi.yaml` as the root, when the
problem spans files). Next to each is `<case>.expected`: what `careforge generate <case> --out DIR`
prints on stderr, without its final summary line. Cases named `strict-*` break the house style,
which is an error only for our own specs: they are run as a vendor (`specs/<case>/openapi.yaml`,
`careforge generate <case>`), the way the CLI makes a run strict.

Rewrite the snapshots with `CAREFORGE_UPDATE_SNAPSHOTS=1 pytest tests/generator`.
"""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import BROKEN, Run, assert_snapshot, careforge, invoke, tree_state, write_files

DIAGNOSTIC = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning)"
                        r"\[(?P<code>[A-Z][A-Z0-9-]+)\]: (?P<message>.+) \(#(?P<pointer>/.*)?\)$")
HINT = re.compile(r"^  hint: \S.*$")
SUMMARY = re.compile(r"^careforge: \d+ errors?, \d+ warnings?; nothing was written$")


@dataclass(frozen=True)
class Case:
    name: str
    source: Path  # a file, or a folder holding openapi.yaml

    @property
    def strict(self) -> bool:
        return self.name.startswith("strict-")

    @property
    def expected(self) -> Path:
        return BROKEN / f"{self.name}.expected"

    def stage(self, root: Path) -> tuple[list[str], Path]:
        """Copy the case under `root`; return the generate arguments and the out dir they write."""
        if self.strict:
            (root / "specs" / self.name).mkdir(parents=True)
            shutil.copy(self.source, root / "specs" / self.name / "openapi.yaml")
            return ["generate", self.name, "--root", "."], root / "generated" / self.name
        if self.source.is_dir():
            shutil.copytree(self.source, root / self.name)
            return ["generate", f"{self.name}/openapi.yaml", "--out", "out"], root / "out"
        shutil.copy(self.source, root / self.source.name)
        return ["generate", self.source.name, "--out", "out"], root / "out"


def _cases() -> list[Case]:
    found = []
    for path in sorted(BROKEN.iterdir()):
        if path.is_dir():
            found.append(Case(path.name, path))
        elif path.suffix in (".yaml", ".json"):
            found.append(Case(path.stem, path))
    return found


CASES = _cases()


def check_report(run: Run) -> list[str]:
    """The stderr lines of a failed run, minus the summary; fails unless every line is well-formed."""
    assert run.code == 2, f"exit {run.code}, expected 2 (spec error)\n{run.stderr}"
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert run.stdout == ""
    lines = run.stderr.rstrip("\n").split("\n")
    assert SUMMARY.match(lines[-1]), lines[-1]
    body = lines[:-1]
    assert body, "no diagnostic was printed"
    assert any(DIAGNOSTIC.match(line) and "error[" in line for line in body), "no error diagnostic"
    for index, line in enumerate(body):
        if index % 2 == 0:
            assert DIAGNOSTIC.match(line), f"not a diagnostic line: {line!r}"
        else:
            assert HINT.match(line), f"a diagnostic without a hint line: {body[index - 1]!r}"
    assert len(body) % 2 == 0, "the last diagnostic has no hint"
    return body


def test_the_cases_are_all_there() -> None:
    names = {case.name for case in CASES}
    wanted = {
        "invalid-yaml", "invalid-json", "duplicate-key", "wrong-member-type", "missing-info", "dangling-ref",
        "dangling-ref-other-file", "missing-ref-file", "remote-ref", "ref-loop", "duplicate-operation-id",
        "path-param-undeclared", "path-param-extra", "swagger2", "yaml-list", "openapi-4", "invalid-pagination",
        "unknown-security-scheme", "strict-missing-operation-id", "strict-missing-tag", "strict-missing-example",
        "strict-invalid-example",
    }
    assert wanted <= names
    orphans = {p.stem for p in BROKEN.glob("*.expected")} - names
    assert not orphans, f"snapshots without a case: {sorted(orphans)}"


@dataclass(frozen=True)
class Outcome:
    run: Run
    out: Path


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every case through the real command line, two at a time (each run is a fresh interpreter)."""
    # Folders made here, not in the threads: the first mktemp of a worker clears its base folder, and
    # two threads doing that at once delete each other's folders.
    roots = {case.name: tmp_path_factory.mktemp(case.name) for case in CASES}

    def one(case: Case) -> Outcome:
        root = roots[case.name]
        args, out = case.stage(root)
        return Outcome(careforge(*args, cwd=root), out)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip((c.name for c in CASES), pool.map(one, CASES)))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_broken_spec_is_reported_and_nothing_is_written(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.name]
    body = check_report(outcome.run)
    assert not outcome.out.exists(), "a failed run created the out dir"
    assert not list(outcome.out.parent.glob(".careforge-*")), "a failed run left staging folders"
    assert_snapshot(case.expected, "\n".join(body) + "\n")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_broken_spec_leaves_an_existing_out_dir_untouched(case: Case, tmp_path: Path) -> None:
    args, out = case.stage(tmp_path)
    write_files(out, {
        ".careforge.json": "{}\n",
        "README.md": "an earlier package\n",
        "pkg/__init__.py": "VALUE = 1\n",
        "notes.txt": "not generated, but the run must not touch it either\n",
    })
    before = tree_state(out)
    # --force: were the spec valid, the files Careforge did not write would go; a spec error keeps them all.
    run = invoke(*args, "--force", cwd=tmp_path)
    assert run.code == 2, run.stderr
    assert tree_state(out) == before


@pytest.mark.parametrize("case", [c for c in CASES if c.strict], ids=lambda c: c.name)
def test_validate_strict_reports_the_same_as_a_vendor_run(case: Case, tmp_path: Path) -> None:
    shutil.copy(case.source, tmp_path / "openapi.yaml")
    strict = invoke("validate", "--strict", "openapi.yaml", cwd=tmp_path)
    body = check_report(strict)
    expected = case.expected.read_text(encoding="utf-8").replace(f"specs/{case.name}/openapi.yaml", "openapi.yaml")
    assert "\n".join(body) + "\n" == expected


def test_house_style_is_a_warning_for_a_spec_file(tmp_path: Path) -> None:
    # A spec file outside specs/ is not ours: the same findings are warnings, and it is valid.
    case = next(c for c in CASES if c.name == "strict-missing-operation-id")
    shutil.copy(case.source, tmp_path / "openapi.yaml")
    relaxed = invoke("validate", "openapi.yaml", cwd=tmp_path)
    assert relaxed.code == 0, relaxed.stderr
    assert relaxed.stdout == "openapi.yaml: valid (0 errors, 1 warning)\n"
    expected = case.expected.read_text(encoding="utf-8").replace(f"specs/{case.name}/openapi.yaml", "openapi.yaml")
    assert relaxed.stderr == expected.replace("error[", "warning[")


def test_check_report_rejects_malformed_output() -> None:
    # The format checker above must be able to fail.
    good = ("x.yaml:1:2: error[E-X]: bad (#/a)\n  hint: fix it\n"
            "careforge: 1 error, 0 warnings; nothing was written\n")
    check_report(Run(2, "", good))
    for bad in (
        good.replace("  hint: fix it\n", ""),
        good.replace("x.yaml:1:2:", "x.yaml:"),
        good.replace(" (#/a)", ""),
        good + "Traceback (most recent call last):\n",
    ):
        with pytest.raises(AssertionError):
            check_report(Run(2, "", bad))
    with pytest.raises(AssertionError):
        check_report(Run(3, "", good))


# Problems found while writing these tests: each test states the behaviour the README promises.

MINIMAL = """\
openapi: 3.1.0
info:
  title: Small
  version: "1"
tags:
  - name: things
    description: Things.
paths:
  /things:
    get:
      operationId: things_list
      tags: [things]
      responses:
        "204":
          description: nothing
"""


def test_ref_with_a_unicode_digit_segment_is_a_spec_error(tmp_path: Path) -> None:
    spec = MINIMAL.replace('"204":\n          description: nothing', (
        '"200":\n          description: ok\n          content:\n            application/json:\n'
        '              schema: {$ref: "#/tags/\u00b2"}\n              example: {}'))
    write_files(tmp_path, {"openapi.yaml": spec})
    check_report(careforge("generate", "openapi.yaml", "--out", "out", cwd=tmp_path))


def test_duplicate_json_key_is_located(tmp_path: Path) -> None:
    write_files(tmp_path, {"openapi.json": '{\n  "openapi": "3.1.0",\n  "paths": {},\n  "paths": {}\n}\n'})
    body = check_report(invoke("generate", "openapi.json", "--out", "out", cwd=tmp_path))
    assert body[0].startswith("openapi.json:4:3: error[E-DUPLICATE-KEY]")


def test_a_spec_that_is_not_utf8_is_reported_with_a_position(tmp_path: Path) -> None:
    (tmp_path / "openapi.yaml").write_bytes(MINIMAL.replace("Small", "Sm\xe4ll").encode("latin-1"))
    check_report(invoke("generate", "openapi.yaml", "--out", "out", cwd=tmp_path))


def test_rules_syntax_error_is_reported_with_a_position(tmp_path: Path) -> None:
    write_files(tmp_path, {"openapi.yaml": MINIMAL, "rules.toml": "[package]\nname = 'x'\nmodule = \n"})
    run = invoke("generate", "openapi.yaml", "--out", "out", cwd=tmp_path)
    body = check_report(run)
    assert body[0].startswith("rules.toml:3:")


def test_out_dir_that_is_the_current_folder_is_refused_cleanly(tmp_path: Path) -> None:
    write_files(tmp_path, {"openapi.yaml": MINIMAL, "mine.txt": "keep me\n"})
    before = tree_state(tmp_path)
    run = invoke("generate", "openapi.yaml", "--out", ".", cwd=tmp_path)
    assert run.code == 2, run.stderr  # refused like any bad argument, not a crash
    assert "Traceback" not in run.stderr
    assert tree_state(tmp_path) == before


def test_spec_text_in_a_report_stays_on_one_line_with_nothing_hidden() -> None:
    from generator.diagnostics import Diagnostic, Location, Severity

    where = Location(file="spec\n.yaml", pointer="/paths/~1a\nb", line=3, column=1)
    diagnostic = Diagnostic(severity=Severity.ERROR, code="E-X", message="path '/a\nb\u2028c\x1b[2K\u202e' é",
                            location=where, hint="tab\there")
    first, hint = diagnostic.render().split("\n")
    assert first == ("spec\\n.yaml:3:1: error[E-X]: path '/a\\nb\\u2028c\\x1b[2K\\u202e' é (#/paths/~1a\\nb)")
    assert hint == "  hint: tab\\there"
