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
KNOWN_BUGS: dict[str, str] = {}


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
    """Every case generated here, one after another; then the checks in fresh interpreters, two at a time.

    Generation finishes before any thread starts: CPython 3.11's `ast` module keeps its recursion
    depth per interpreter, and an `ast.parse` racing another thread can fail with a SystemError.
    """
    results: dict[str, Outcome] = {}
    selected = _selected(request.session)
    for case in (c for c in CASES if case_name(c) in selected):
        root = tmp_path_factory.mktemp(case_name(case))
        results[case_name(case)] = generate_case(case, root, case.name, rejected=is_rejected(case))
    with ThreadPoolExecutor(max_workers=2) as pool:
        for outcome in results.values():
            if outcome.module:
                out = outcome.root / "out"
                outcome.checks.append(pool.submit(package_checks, out, outcome.module))
                outcome.checks.append(pool.submit(type_checks, out, outcome.module, mypy_cache))
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
