"""generator/write.py: the out dir holds the whole old tree or the whole new one, never a mix."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import generate, invoke, tree, tree_state, write_files

from generator import write
from generator.fileset import FileSet
from generator.manifest import digest_bytes

SPEC = """
openapi: 3.1.0
info:
  title: Tidy
  version: "1"
servers:
  - url: https://tidy.example.test
tags:
  - {name: rooms, description: Rooms.}
paths:
  /rooms:
    get:
      operationId: rooms_list
      tags: [rooms]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
              example: [kitchen]
"""


def test_stale_files_disappear(tmp_path: Path) -> None:
    write_files(tmp_path, {"openapi.yaml": SPEC})
    # An older package: files its manifest lists that the spec no longer makes.
    stale = {"stale.py": "old = True\n", "tidy_client/resources/gone.py": "x = 1\n"}
    write_files(tmp_path / "out", stale)
    listed = {path: digest_bytes(text.encode()) for path, text in stale.items()}
    (tmp_path / "out" / ".careforge.json").write_text(json.dumps({"files": listed}))
    generate("openapi.yaml", "out", cwd=tmp_path)
    files = tree(tmp_path / "out")
    assert "stale.py" not in files and "tidy_client/resources/gone.py" not in files
    assert "tidy_client/resources/rooms.py" in files
    assert not list(tmp_path.glob(".careforge-*"))


def test_a_spec_error_leaves_the_existing_package_untouched(tmp_path: Path) -> None:
    write_files(tmp_path, {"openapi.yaml": SPEC})
    generate("openapi.yaml", "out", cwd=tmp_path)
    before = tree_state(tmp_path / "out")
    (tmp_path / "openapi.yaml").write_text(SPEC.replace("operationId: rooms_list", "operationId: [not, text]"))
    run = invoke("generate", "openapi.yaml", "--out", "out", cwd=tmp_path)
    assert run.code == 2 and "nothing was written" in run.stderr
    assert tree_state(tmp_path / "out") == before
    assert not list(tmp_path.glob(".careforge-*"))


def test_write_tree_replaces_the_whole_tree(tmp_path: Path) -> None:
    target = tmp_path / "pkg"
    write.write_tree(target, FileSet({"a.txt": "one\n", "sub/b.txt": "two\n"}))
    write.write_tree(target, FileSet({"a.txt": "uno\n", "c.txt": "tres\n"}))
    assert tree(target) == {"a.txt": b"uno\n", "c.txt": b"tres\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_write_tree_without_rename_exchange(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The fallback path (two renames) must give the same result.
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    target = tmp_path / "pkg"
    write.write_tree(target, FileSet({"a.txt": "one\n"}))
    write.write_tree(target, FileSet({"b.txt": "two\n"}))
    assert tree(target) == {"b.txt": b"two\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_recover_restores_the_old_tree_after_a_run_killed_between_renames(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "pkg"
    write.write_tree(target, FileSet({"a.txt": "old\n", "sub/b.txt": "old b\n"}))
    old_tree = tree(target)

    real_rename = os.rename
    renames: list[tuple[str, str]] = []

    def dies_on_second_rename(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        renames.append((Path(src).name, Path(dst).name))
        if len(renames) == 2:
            raise KeyboardInterrupt("killed between the two renames")
        real_rename(src, dst)

    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    monkeypatch.setattr(os, "rename", dies_on_second_rename)
    with pytest.raises(KeyboardInterrupt):
        write.write_tree(target, FileSet({"a.txt": "new\n"}))
    monkeypatch.setattr(os, "rename", real_rename)

    # The moment of the kill: the old tree is aside, the new one staged, the target gone.
    assert renames == [("pkg", ".careforge-old-pkg"), (".careforge-new-pkg", "pkg")]
    assert not target.exists()
    assert tree(tmp_path / ".careforge-old-pkg") == old_tree

    write.recover(target)
    assert tree(target) == old_tree
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_recover_after_the_swap_keeps_the_new_tree(tmp_path: Path) -> None:
    # Killed after both renames, before the old tree was deleted.
    write_files(tmp_path, {"pkg/a.txt": "new\n", ".careforge-old-pkg/a.txt": "old\n",
                           ".careforge-new-pkg/half.txt": "partial\n"})
    write.recover(tmp_path / "pkg")
    assert tree(tmp_path / "pkg") == {"a.txt": b"new\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_the_next_generate_recovers_first(tmp_path: Path) -> None:
    write_files(tmp_path, {"openapi.yaml": SPEC})
    generate("openapi.yaml", "out", cwd=tmp_path)
    before = tree(tmp_path / "out")
    (tmp_path / "out").rename(tmp_path / ".careforge-old-out")
    write_files(tmp_path, {".careforge-new-out/junk.txt": "half written\n"})
    run = generate("openapi.yaml", "out", cwd=tmp_path)
    assert "unchanged" in run.stdout, "the recovered tree matches its manifest"
    assert tree(tmp_path / "out") == before
    assert not list(tmp_path.glob(".careforge-*"))


def test_an_unchanged_file_is_the_same_file_and_anything_else_is_written_afresh(tmp_path: Path) -> None:
    target = tmp_path / "pkg"
    first = {"same.txt": "kept\n", "changed.txt": "before\n", "edited.txt": "abc\n", "moded.txt": "m\n",
             "linked.txt": "l\n"}
    write.write_tree(target, FileSet(first))
    created = (target / "same.txt").stat()
    # What a user may do between runs: edit a file (same size), change a mode, put a symlink in place.
    (target / "edited.txt").write_text("xyz\n")
    (target / "moded.txt").chmod(0o600)
    (tmp_path / "elsewhere.txt").write_text("l\n")
    (target / "linked.txt").unlink()
    (target / "linked.txt").symlink_to(tmp_path / "elsewhere.txt")
    write.write_tree(target, FileSet(first | {"changed.txt": "after\n"}))
    assert tree(target) == {path: text.encode() for path, text in (first | {"changed.txt": "after\n"}).items()}
    kept = (target / "same.txt").stat()
    assert (kept.st_ino, kept.st_mtime_ns) == (created.st_ino, created.st_mtime_ns)  # linked, not rewritten
    assert kept.st_nlink == 1  # the old tree's name for it is gone
    fresh = (target / "moded.txt").stat().st_mode & 0o777
    assert fresh == (target / "same.txt").stat().st_mode & 0o777 != 0o600
    assert not (target / "linked.txt").is_symlink()
    assert (tmp_path / "elsewhere.txt").read_text() == "l\n"  # what the symlink named is left alone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere.txt", "pkg"]


def test_without_hard_links_every_file_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(1, "Operation not permitted")

    target = tmp_path / "pkg"
    write.write_tree(target, FileSet({"a.txt": "one\n"}))
    monkeypatch.setattr(write.os, "link", refuse)
    write.write_tree(target, FileSet({"a.txt": "one\n", "b.txt": "two\n"}))
    assert tree(target) == {"a.txt": b"one\n", "b.txt": b"two\n"}


def test_a_file_with_another_name_outside_the_tree_is_written_afresh(tmp_path: Path) -> None:
    # A copy of the package made with hard links (`cp -al`, a backup tool) names the same files: the new
    # tree must not share them, or an edit of the copy (editors write in place) changes the package.
    target = tmp_path / "pkg"
    write.write_tree(target, FileSet({"a.txt": "one\n"}))
    copy = tmp_path / "copy.txt"
    os.link(target / "a.txt", copy)
    write.write_tree(target, FileSet({"a.txt": "one\n"}))
    with copy.open("w") as out:
        out.write("edited in the copy\n")
    assert tree(target) == {"a.txt": b"one\n"}


def test_a_file_reached_through_a_symlinked_folder_is_written_afresh(tmp_path: Path) -> None:
    # The old tree's folder replaced by a symlink (written over with --force): what it points to is not the
    # tree's own, and stays apart from the new tree.
    target = tmp_path / "pkg"
    write.write_tree(target, FileSet({"sub/a.txt": "one\n"}))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.txt").write_text("one\n")
    (target / "sub" / "a.txt").unlink()
    (target / "sub").rmdir()
    (target / "sub").symlink_to(elsewhere)
    write.write_tree(target, FileSet({"sub/a.txt": "one\n"}))
    (elsewhere / "a.txt").write_text("edited elsewhere\n")
    assert tree(target) == {"sub/a.txt": b"one\n"}
    assert not (target / "sub").is_symlink()
