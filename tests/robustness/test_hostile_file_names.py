"""Hostile spec file names: the name of the spec file is written into every generated module's
header comment and docstrings, so it must not break out of them either.

One small valid spec (hostile/enum-default.yaml) is copied under each name and generated; the package
must compile cleanly, import with warnings as errors, pass its own tests, and run nothing.
(No mypy here: a file name only reaches comments and docstrings.)
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ._harness import HERE, Outcome, generate_case, package_checks

SPEC = HERE / "hostile" / "enum-default.yaml"
CODE = "__import__('os').system('touch MARKER')"

NAMES: dict[str, str] = {
    "spaces": "my spec file.yaml",
    "quotes": "it's \"quoted\" ''' \"\"\".yaml",
    "backslashes": "back\\slash \\N{BULLET} \\x41.yaml",
    "non-ascii": "spéc ünïcödé 漢字 🦜.yaml",
    "bidi": "\u202espec\u2066 שלום.yaml",
    "templates": "{{ 7*7 }} {% if true %}.yaml",
    "code": f"\"; {CODE} #.yaml",
    "newline": f"spec\n{CODE}\n#.yaml",
    "carriage-return": f"spec\r{CODE}\r#.yaml",
}

KNOWN_BUGS: dict[str, str] = {}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outcome]]:
    results: dict[str, Outcome] = {}
    for label, file_name in NAMES.items():  # all generated before a thread starts (see test_hostile_specs.py)
        results[label] = generate_case(SPEC, tmp_path_factory.mktemp(label), file_name, rejected=False)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for outcome in results.values():
            if outcome.module:
                outcome.checks.append(pool.submit(package_checks, outcome.root / "out", outcome.module))
        yield results


def _params() -> list[object]:
    return [pytest.param(label, id=label, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[label])]
                         if label in KNOWN_BUGS else []) for label in NAMES]


@pytest.mark.parametrize("label", _params())
def test_hostile_spec_file_name(label: str, outcomes: dict[str, Outcome]) -> None:
    problems = outcomes[label].all_problems()
    assert not problems, "\n\n".join(problems)
