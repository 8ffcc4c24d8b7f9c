"""Black's style is the contract; ruff's formatter is the engine. The check proves they agree.

- The check (`careforge check`, in `make check`) fails on a file black would change, naming it.
- Where the two formatters disagree on their own (a long union annotation of a parameter), the
  view's layout gives both the same text: checked for lengths on either side of the limit.
- The golden trees are black-stable too (the vendors' packages are checked by `make check`).
"""

from __future__ import annotations

import keyword
import os
import subprocess
from pathlib import Path

import black
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from generator.checks.style import style_check
from generator.escape import docstring
from generator.fileset import FileSet
from generator.format import LINE_LENGTH, _long_code_line, _ruff, _run_engine, black_mode
from generator.view.layout import fits, parenthesized

# Text both formatters read differently when given as it is (black parenthesizes, ruff splits at `|`).
DISAGREEMENT = (
    "def g(\n    self,\n    *,\n"
    "    indices: typing.Mapping[builtins.str, models.CaseIndexWriteLonger] | NotGiven = NOT_GIVEN,\n"
    ") -> None:\n    pass\n"
)


def _black(source: str) -> str:
    return black.format_str(source, mode=black_mode())  # type: ignore[arg-type]


def _engine(source: str) -> str:
    [(formatted, problem)] = _run_engine([("x.py", source)])
    assert not problem
    return formatted


def test_the_formatters_do_disagree_on_raw_text(tmp_path: Path) -> None:
    """The premise of the layout decision: without it, ruff's output is not black-stable."""
    by_ruff = _ruff_alone(DISAGREEMENT, tmp_path)
    assert _black(by_ruff) != by_ruff


def test_the_check_names_a_file_black_would_change(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pkg/good.py": _black("x = 1\n"), "pkg/bad.py": _engine(DISAGREEMENT),
             "README.md": "```python\nx = [1,2]\n```\n"}
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    problems = style_check(tmp_path, FileSet(files))
    assert any(p.endswith("pkg/bad.py: black would reformat it") for p in problems), problems
    assert any("README.md: black would reformat Python example 1" in p for p in problems), problems
    assert not any("good.py" in p for p in problems)
    (tmp_path / "pkg/bad.py").write_text(_black(DISAGREEMENT))
    fixed = {**files, "pkg/bad.py": _black(DISAGREEMENT), "README.md": "```python\nx = [1, 2]\n```\n"}
    (tmp_path / "README.md").write_text(fixed["README.md"])
    assert style_check(tmp_path, FileSet(fixed)) == []


@settings(max_examples=60, deadline=None)
@given(name=st.from_regex(r"[a-z][a-z_]{0,20}", fullmatch=True).filter(lambda n: not keyword.iskeyword(n)), width=st.integers(min_value=20, max_value=90),
       optional=st.booleans(), wide=st.booleans())
def test_a_parameter_laid_out_by_the_view_is_formatted_alike_by_both(name: str, width: int, optional: bool,
                                                                     wide: bool) -> None:
    letter = "\u5b57" if wide else "a"  # an East Asian wide character counts two columns to both
    literal = letter * max(1, (width - 40) // (2 if wide else 1))
    annotation = f'typing.Literal["{literal}"] | builtins.int' + (" | NotGiven" if optional else "")
    default = " = NOT_GIVEN" if optional else ""
    source = (f"class A:\n    def f(\n        self,\n        *,\n"
              f"        {name}: {parenthesized(annotation, name, default)}{default},\n    ) -> None:\n        pass\n")
    assert _engine(source) == _black(source) == _black(_engine(source))


# Its callee alone passes the limit (a real spec's operation name: Bitbucket's, say).
LONG_CALL = ("client.with_streaming_response.commits.post_repositories_workspace_repo_slug_commit_commit_comments"
             "(\"string\", body=1)")


def _ruff_alone(source: str, tmp_path: Path) -> str:
    raw = tmp_path / "raw.py"
    raw.write_text(source)
    subprocess.run([_ruff(), "format", "--isolated", "--quiet", str(raw)], check=True)
    return raw.read_text()


def test_a_long_with_statement_is_bound_first_where_the_formatters_would_part(tmp_path: Path) -> None:
    raw = f"with {LONG_CALL} as streamed:\n    pass\n"
    assert not fits(f"with {LONG_CALL} as streamed:", indent=0)
    assert _ruff_alone(raw, tmp_path) != _black(raw)  # the premise: ruff parenthesizes the context manager
    bound = f"streaming = {LONG_CALL}\nwith streaming as streamed:\n    pass\n"
    assert _engine(bound) == _black(bound)


@settings(max_examples=80, deadline=None)
@given(text=st.text(alphabet=st.sampled_from('ab "\\\n\'x'), min_size=1, max_size=120), indent=st.sampled_from([0, 4, 8]))
def test_a_whole_docstring_is_formatted_alike_by_both(text: str, indent: int) -> None:
    heads = "".join(f"{'    ' * depth}def f{depth}() -> None:\n" for depth in range(indent // 4))
    source = f"{heads}{' ' * indent}\"\"\"{docstring(text)}\"\"\"\n"
    assert _engine(source) == _black(source) == _black(_engine(source))


AWAIT_LONG = ("async def run() -> None:\n    async def inner() -> None:\n        result = await "
              "client.digi_locker_meta_ap_is.get_list_of_documents_provided_by_an_issuer_id()\n")


def test_a_code_line_left_long_is_formatted_by_black(tmp_path: Path) -> None:
    """Neither formatter can make the line fit; they part on the parentheses, so black writes the file."""
    by_ruff = _ruff_alone(AWAIT_LONG, tmp_path)
    assert _black(by_ruff) != by_ruff  # the premise: ruff's formatter alone is not black-stable here
    assert _long_code_line(by_ruff) and not _long_code_line(_black("x = 'a'\n"))
    assert _engine(AWAIT_LONG) == _black(AWAIT_LONG)


LONG = "Webhook" + "PullRequestReviewRequestRemovedOption1PullRequestRequestedReviewers" * 2
# Lines long only because a name is (found by the thousand in GitHub's models): no split anywhere.
UNSPLITTABLE = {
    "from-import": f"from .{LONG.lower()} import (\n    {LONG},\n)\n",
    "class": f"class {LONG}(Base, Other, Third):\n    pass\n",
    "union member": f"x: (\n    int\n    | {LONG}\n    | None\n) = None\n",
    "annotation": f"class A:\n    privacy: {LONG}\n",
    "argument": f"f(\n    {LONG},\n    {LONG},\n)\n",
    "assigned call": f"class A:\n    def __init__(self) -> None:\n        self.{LONG.lower()} = wrap(\n"
                     f"            resource.{LONG.lower()},\n        )\n",
    "awaited call": f"async def run() -> None:\n    result = await client.{LONG.lower()}(\n        x=1,\n    )\n",
    "keyword argument": f"f(\n    body=models.{LONG}.model_validate(\n        {{}}\n    ),\n)\n",
}


@pytest.mark.parametrize("source", UNSPLITTABLE.values(), ids=UNSPLITTABLE.keys())
def test_a_line_long_only_by_a_name_is_left_to_ruff_and_black_agrees(source: str, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Black would write the same, so the engine does not hand the file to black (slow on big modules)."""
    import generator.format as fmt

    by_ruff = _ruff_alone(source, tmp_path)
    assert any(len(line) > LINE_LENGTH for line in by_ruff.splitlines())  # the premise: a line stays long
    assert _black(by_ruff) == by_ruff  # the oracle: black leaves ruff's output as it is
    monkeypatch.setattr(fmt, "_black", lambda source: pytest.fail("handed to black"))
    assert not _long_code_line(by_ruff)
    assert _engine(source) == by_ruff


@pytest.mark.parametrize("tree", sorted((REPO / "tests" / "golden" / "expected").iterdir()), ids=lambda p: p.name)
def test_the_golden_trees_are_black_stable(tree: Path) -> None:
    files = {p.relative_to(tree).as_posix(): p.read_text(encoding="utf-8") for p in tree.rglob("*")
             if p.is_file() and p.suffix in (".py", ".md")}
    assert style_check(tree, FileSet(files)) == []


def test_the_line_length_is_black_default() -> None:
    assert LINE_LENGTH == black_mode().line_length == 88  # type: ignore[attr-defined]


def test_a_source_that_does_not_parse_is_named_and_the_others_are_formatted() -> None:
    [(_, problem), (formatted, fine)] = _run_engine([("bad.py", "x = (\n"), ("good.py", "y=[1,2]\n")])
    assert "bad.py" in problem and formatted == "y = [1, 2]\n" and fine == ""


def test_a_type_ignore_stays_on_the_line_mypy_reads() -> None:
    """mypy reads `# type: ignore` on a statement's first line. Black leaves such a line whole; ruff's
    formatter would split it and carry the comment to the last line, so black writes these files."""
    source = ("class ShieldInformationBarrierSegmentMember(ShieldInformationBarrierSegmentMemberMini, "
              "ShieldInformationBarrierSegmentMemberPart2):  # type: ignore[misc, unused-ignore]\n    pass\n")
    formatted = _engine(source)
    assert formatted.splitlines()[0].endswith("# type: ignore[misc, unused-ignore]")
    assert formatted == _black(source)


def test_a_source_with_combining_marks_is_formatted_by_black(tmp_path: Path) -> None:
    """Black counts a combining mark as a column, ruff's formatter as none: near the limit they part."""
    source = "class A:\n    p: str = \"" + "e\u0301" * 70 + "\"\n"
    assert _ruff_alone(source, tmp_path) != _black(source)  # the premise
    assert _engine(source) == _black(source)


def test_a_killed_runs_scratch_folder_is_swept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen(["true"])  # a pid whose run is over
    dead.wait()
    stale = tmp_path / f"careforge-format-{dead.pid}-x"
    live = tmp_path / f"careforge-format-{os.getpid()}-y"
    other = tmp_path / "careforge-format-notours"
    for folder in (stale, live, other):
        (folder / "plain").mkdir(parents=True)
    _engine("x = 1\n")
    assert not stale.exists() and live.exists() and other.exists()
