"""Hostile specs (`hostile/`): text that tries to break out of every place a spec string lands.

Each case is a small OpenAPI document; its header says what it tries. Every case is generated (in
this process, through the CLI helper of the generator's tests), and then:

- a valid case must generate (exit 0), with no example the generator could not check;
- every generated .py file compiles, with no invalid escape sequence and no NUL byte;
- no raw control character reaches a .py, .md or .toml file;
- the package and all its modules import in a fresh interpreter with warnings as errors, and its
  generated tests pass there;
- `mypy --strict` passes on the package and its tests (one shared cache);
- no file named MARKER appears anywhere (the payloads try to create one by code injection).

Cases named `rejected-*` are really invalid specs: they must exit 2 with a clean report (each
diagnostic `file:line:col: error[CODE]: message (#/pointer)` on one line, a hint under it, no
traceback) and write nothing. Cases named `bug-*` reproduce a generator bug: each is listed in
KNOWN_BUGS and expected to fail (strict xfail) until the bug is fixed.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ._harness import HERE, Outcome, generate_case, package_checks, type_checks

HOSTILE = HERE / "hostile"
CASES = sorted(p for p in HOSTILE.iterdir() if p.suffix in (".yaml", ".json"))

# Case name -> what goes wrong today, and where. Each case's header comment says more.
KNOWN_BUGS: dict[str, str] = {
    "bug-title-shadows-client-import": "client class named after info.title shadows an import of _client.py "
                                       "(ir/build.py default_package: no check against the templates' names)",
    "bug-title-shadows-package-export": "client class named after info.title collides with an export of __init__.py "
                                        "(ir/build.py default_package)",
    "bug-client-parameter-reserved-name": "client parameter named like a constructor argument: duplicate argument "
                                          "(ir/operations.py _parameter: names.identifier(client), no reserved names)",
    "bug-header-value-non-ascii": "non-ASCII header example is sent as is and httpx cannot encode it "
                                  "(runtime _request.py / view/tests.py example_arguments)",
    "bug-percent-in-path": "raw JSON pointer in a URI fragment is percent-decoded "
                           "(schema_check.py SchemaChecker.problems, templates/testing/_contract.py)",
    "bug-url-control-characters": "a tab in a path is accepted but no URL can be built from it "
                                  "(validate/lint: no check of path and server URL characters)",
    "bug-property-model-dump": "field model_dump_ is in pydantic's protected namespace: import warns "
                               "(models.py: protected_namespaces not cleared)",
    "bug-rejected-newline-in-diagnostic": "spec text is printed raw in diagnostics: a newline splits the report "
                                          "(diagnostics.py Diagnostic.render / lint.py messages)",
    "bug-line-separator-in-schema-text": "a U+2028 ahead of an enum shifts the lines models.py edits: exit 3 "
                                         "(models.py _open_enums: str.splitlines splits where Python does not)",
    "bug-control-characters-in-models": "schema text reaches models.py with raw control characters "
                                        "(models.py: datamodel-code-generator output bypasses escape.doc)",
    "bug-parameter-shadows-module": "an argument named typing shadows the module the method body calls "
                                    "(names.py RESERVED_ARGUMENTS lacks typing, models, builtins)",
    "bug-path-parameter-bracket": "openapi-spec-validator crashes on '[' in a path template: valid spec rejected "
                                  "with E-VALIDATOR at 1:1 (validate.py _validator_errors)",
}


def case_name(path: Path) -> str:
    return path.stem


def is_rejected(case: Path) -> bool:
    """A really invalid spec: `rejected-*`, or a known bug in reporting one (`bug-rejected-*`)."""
    return case.stem.startswith(("rejected-", "bug-rejected-"))


def _selected(session: pytest.Session) -> set[str]:
    """The cases this session runs (so `-k` does not generate the others)."""
    return {str(item.callspec.params["name"]) for item in session.items
            if isinstance(item, pytest.Function) and item.originalname == "test_hostile_spec"}


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
             mypy_cache: Path) -> Iterator[dict[str, Outcome]]:
    """Every case generated here, one after another; the checks in fresh interpreters, two at a time."""
    results: dict[str, Outcome] = {}
    selected = _selected(request.session)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for case in (c for c in CASES if case_name(c) in selected):
            root = tmp_path_factory.mktemp(case_name(case))
            outcome = generate_case(case, root, case.name, rejected=is_rejected(case))
            if outcome.module:
                out = root / "out"
                outcome.checks.append(pool.submit(package_checks, out, outcome.module))
                outcome.checks.append(pool.submit(type_checks, out, outcome.module, mypy_cache))
            results[case_name(case)] = outcome
        yield results


def _params() -> list[object]:
    params: list[object] = []
    for case in CASES:
        reason = KNOWN_BUGS.get(case_name(case))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(case_name(case), marks=marks, id=case_name(case)))
    return params


@pytest.mark.parametrize("name", _params())
def test_hostile_spec(name: str, outcomes: dict[str, Outcome]) -> None:
    problems = outcomes[name].all_problems()
    assert not problems, "\n\n".join(problems)


def test_the_corpus_is_consistent() -> None:
    names = {case_name(c) for c in CASES}
    assert len(names) == len(CASES), "two cases share a name"
    bugs = {n for n in names if n.startswith("bug-")}
    assert bugs == set(KNOWN_BUGS), "every bug-* case, and only those, is a known bug"
