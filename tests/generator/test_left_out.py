"""`x-careforge-left-out`: the README's "Not covered" table says what the client leaves out and why, its code
spans kept and everything else escaped; a malformed entry is refused with its place in the spec."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from conftest import generate, invoke, write_files
from generator.escape import md_prose

SPEC = """
openapi: 3.1.0
info: {title: Acme, version: "1"}
servers: [{url: "https://api.acme.example"}]
x-careforge-left-out: LEFT
paths:
  /ping:
    get:
      operationId: ping
      responses: {"204": {description: nothing}}
"""


def _cells(readme: str) -> list[list[str]]:
    """The "Not covered" table as a CommonMark reader with tables sees it: the text of each body cell."""
    section = readme.split("\n## Not covered\n", 1)[1].split("\n## ", 1)[0]
    tokens = MarkdownIt("commonmark").enable("table").parse(section)
    rows: list[list[str]] = []
    inside_body = False
    for token in tokens:
        if token.type == "tbody_open":
            inside_body = True
        elif token.type == "tr_open" and inside_body:
            rows.append([])
        elif token.type == "inline" and inside_body:
            rows[-1].append("".join(c.content if c.type != "code_inline" else f"<code>{c.content}</code>"
                                    for c in token.children or []))
    return rows


def test_the_readme_lists_each_entry(tmp_path: Path) -> None:
    left = ('[{what: "Bulk import (`POST /import/`)", why: "Answers 500 | always; use `client.pets.create` <b>"},'
            ' {what: Webhooks, why: "Not in the current release."}]')
    write_files(tmp_path, {"openapi.yaml": SPEC.replace("LEFT", left)})
    generate("openapi.yaml", "out", cwd=tmp_path, extra=("--package", "acme_client"))
    rows = _cells((tmp_path / "out" / "README.md").read_text(encoding="utf-8"))
    assert rows == [
        ["Bulk import (<code>POST /import/</code>)", "Answers 500 | always; use <code>client.pets.create</code> <b>"],
        ["Webhooks", "Not in the current release."],
    ]


def test_no_entries_no_section(tmp_path: Path) -> None:
    write_files(tmp_path, {"openapi.yaml": SPEC.replace("x-careforge-left-out: LEFT\n", "")})
    generate("openapi.yaml", "out", cwd=tmp_path, extra=("--package", "acme_client"))
    assert "## Not covered" not in (tmp_path / "out" / "README.md").read_text(encoding="utf-8")


def test_a_malformed_entry_is_refused_with_its_place(tmp_path: Path) -> None:
    write_files(tmp_path, {"openapi.yaml": SPEC.replace("LEFT", "[{what: Webhooks}]")})
    before = sorted(p.name for p in tmp_path.iterdir())
    run = invoke("generate", "openapi.yaml", "--out", "out", cwd=tmp_path)
    assert run.code != 0
    assert "'what' and 'why'" in run.stderr and "/x-careforge-left-out/0" in run.stderr, run.stderr
    assert run.stderr.startswith("openapi.yaml:4:")  # the line of x-careforge-left-out
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_unpaired_backticks_are_shown_as_they_are() -> None:
    assert md_prose("a ` b") == "a \\` b"
    assert md_prose("x `|` y") == "x `\\|` y"
