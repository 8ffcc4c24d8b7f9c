"""Every golden spec generates exactly its committed tree (see trees.py); `make golden` rewrites them."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from . import trees as golden

HINT = "if the change is meant, run `make golden` and commit the diff it leaves under tests/golden/expected/"


def _difference(name: str, expected: bytes, actual: bytes) -> str:
    lines = difflib.unified_diff(expected.decode(errors="replace").splitlines(),
                                 actual.decode(errors="replace").splitlines(),
                                 f"expected/{name}", f"generated/{name}", lineterm="", n=2)
    shown = list(lines)
    return "\n".join(shown[:60] + ([f"... {len(shown) - 60} more diff lines"] if len(shown) > 60 else []))


@pytest.mark.parametrize("spec", golden.spec_names())
def test_the_output_is_the_golden_tree(spec: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    golden.generate(spec, out)
    actual = golden.tree(out)
    folder = golden.EXPECTED / golden.stem(spec)
    expected = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    problems = [f"new file, not in the golden tree: {n}" for n in sorted(actual.keys() - expected.keys())]
    problems += [f"golden file no longer written: {n}" for n in sorted(expected.keys() - actual.keys())]
    problems += [_difference(n, expected[n], actual[n]) for n in sorted(expected.keys() & actual.keys())
                 if expected[n] != actual[n]]
    assert not problems, f"{spec}: the output differs from its golden tree; {HINT}\n" + "\n".join(problems)


@pytest.mark.parametrize("spec", golden.spec_names()[:1])
def test_files_left_out_of_the_golden_trees_are_verbatim_copies(spec: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    golden.generate(spec, out)
    copies = golden.copied_verbatim(out)
    assert len(copies) > 10, "the runtime modules are no longer found: golden.copied_verbatim needs updating"
    changed = [str(t.relative_to(out)) for t, s in copies.items() if t.read_bytes() != s.read_bytes()]
    assert not changed, f"no longer copied as they are, so they belong in the golden trees: {changed}"


def test_the_comparison_catches_a_changed_file(tmp_path: Path) -> None:
    """The tree comparison itself can fail: one byte changed in a copy of a generated tree is seen."""
    spec = golden.spec_names()[0]
    out = tmp_path / "out"
    golden.generate(spec, out)
    before = golden.tree(out)
    readme = out / "README.md"
    readme.write_bytes(readme.read_bytes().replace(b"#", b"##", 1))
    after = golden.tree(out)
    assert [n for n in before if before[n] != after[n]] == ["README.md"]
    assert "-#" in _difference("README.md", before["README.md"], after["README.md"])
