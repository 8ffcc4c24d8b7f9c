"""What a user does that we did not plan for: a folder that is not ours, a file added to a generated
package, an edit by hand, a path that cannot be written, Ctrl-C, SIGTERM, a typo in a spec's enum.
Each run is the real entry point in a fresh interpreter: exit codes and streams as a shell sees them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import HERE, careforge, tree

SPEC = str(HERE / "specs" / "union-samples.yaml")
LARGE_SPEC = HERE.parent.parent / "specs" / "commcare" / "openapi.yaml"


def _no_traceback(text: str) -> None:
    assert "Traceback" not in text and "internal error" not in text, text


def test_a_folder_careforge_did_not_make_is_refused_and_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "myproj"
    (out / "src").mkdir(parents=True)
    (out / "notes.txt").write_text("my notes\n")
    (out / "src" / "app.py").write_text("print('mine')\n")
    before = tree(out)
    run = careforge("generate", SPEC, "--out", out, cwd=tmp_path)
    assert run.code == 5, run.stderr
    assert "notes.txt" in run.stderr and "src/app.py" in run.stderr and "--force" in run.stderr
    _no_traceback(run.stderr)
    assert tree(out) == before
    assert not list(tmp_path.glob(".careforge-*"))
    forced = careforge("generate", SPEC, "--out", out, "--force", cwd=tmp_path)
    assert forced.code == 0, forced.stderr
    assert "removed from" in forced.stderr and "notes.txt" in forced.stderr and "src/app.py" in forced.stderr
    assert not (out / "notes.txt").exists() and (out / ".careforge.json").is_file()


def test_an_empty_or_missing_folder_is_written(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for name in ("empty", "missing"):
        run = careforge("generate", SPEC, "--out", tmp_path / name, cwd=tmp_path)
        assert run.code == 0, run.stderr
        assert "removed" not in run.stderr


def test_files_added_to_or_edited_in_a_generated_package_are_not_lost(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    assert careforge("generate", SPEC, "--out", out, cwd=tmp_path).code == 0
    readme = out / "README.md"
    readme.write_text(readme.read_text() + "\nmy edit\n")
    (out / "NOTES.md").write_text("mine\n")
    # What tools leave in a package is not the user's work.
    (out / "tests" / "__pycache__").mkdir(exist_ok=True)
    (out / "tests" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    (out / ".pytest_cache").mkdir()
    (out / ".pytest_cache" / "README.md").write_text("cache\n")
    (out / "pkg.egg-info").mkdir()
    (out / "pkg.egg-info" / "PKG-INFO").write_text("x\n")
    before = tree(out)
    run = careforge("generate", SPEC, "--out", out, cwd=tmp_path)
    assert run.code == 5, run.stderr
    assert "1 file Careforge did not write (NOTES.md)" in run.stderr
    assert "1 file changed since Careforge wrote it (README.md)" in run.stderr
    assert "pytest_cache" not in run.stderr and "egg-info" not in run.stderr
    assert tree(out) == before
    # Once the user's files are moved out, tool leftovers do not stop a run.
    (out / "NOTES.md").unlink()
    assert careforge("generate", SPEC, "--out", out, "--force", cwd=tmp_path).code == 0
    (out / "tests" / "__pycache__").mkdir(exist_ok=True)
    (out / "tests" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    (out / ".mypy_cache").mkdir()
    (out / ".mypy_cache" / "x.json").write_text("{}\n")
    again = careforge("generate", SPEC, "--out", out, cwd=tmp_path)
    assert again.code == 0, again.stderr


def test_a_path_that_cannot_be_written_is_one_line_with_its_own_code(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x\n")
    run = careforge("generate", SPEC, "--out", tmp_path / "afile" / "pkg", cwd=tmp_path)
    assert run.code == 4, run.stderr
    assert run.stderr.strip().splitlines()[-1] == f"careforge: cannot write under {tmp_path / 'afile'}: it is a " \
                                                 "file, not a folder"
    _no_traceback(run.stderr)
    denied = careforge("generate", SPEC, "--out", "/sys/careforge-cannot-write", cwd=tmp_path)
    assert denied.code == 4, denied.stderr
    assert "careforge: cannot write /sys/careforge-cannot-write:" in denied.stderr
    _no_traceback(denied.stderr)


def test_version_and_short_help_everywhere(tmp_path: Path) -> None:
    version = careforge("--version", cwd=tmp_path)
    assert version.code == 0 and version.stdout.startswith("careforge 0."), version
    for command in ((), ("generate",), ("check",), ("validate",), ("build",), ("publish",)):
        run = careforge(*command, "-h", cwd=tmp_path)
        assert run.code == 0 and "Usage:" in run.stdout, (command, run.stderr)
    assert "130 Ctrl-C" in careforge("-h", cwd=tmp_path).stdout


def test_validate_names_what_is_missing_and_takes_a_root(tmp_path: Path) -> None:
    missing = careforge("validate", "nonexistent.yaml", cwd=tmp_path)
    assert missing.code == 2 and "nonexistent.yaml: no such spec file" in missing.stderr
    vendor = careforge("validate", "nobody", cwd=tmp_path)
    assert vendor.code == 2 and "nobody is neither a spec file nor a vendor" in vendor.stderr
    (tmp_path / "proj" / "specs" / "acme").mkdir(parents=True)
    (tmp_path / "proj" / "specs" / "acme" / "openapi.yaml").write_text(Path(SPEC).read_text())
    found = careforge("validate", "acme", "--root", tmp_path / "proj", "--no-strict", cwd=tmp_path)
    assert found.code == 0, found.stderr


def test_a_misspelt_enum_value_lists_the_allowed_ones_and_the_nearest(tmp_path: Path) -> None:
    (tmp_path / "typo.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a_get\n"
        "      tags: [a]\n      parameters:\n        - {name: q, in: qeury, schema: {type: string}}\n"
        "        - {name: r, in: query, schema: {type: strng}}\n"
        "      responses: {'200': {description: ok}}\n")
    run = careforge("validate", "typo.yaml", cwd=tmp_path)
    assert run.code == 2
    assert "'qeury' is not allowed here: use one of cookie, header, path, query; did you mean 'query'?" in run.stderr
    assert "did you mean 'string'?" in run.stderr
    assert "not valid under any of the given schemas" not in run.stderr


@pytest.mark.parametrize(("sent", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_run_exits_with_the_signal_code_and_leaves_no_staging_folder(
        tmp_path: Path, sent: signal.Signals, code: int) -> None:
    out = tmp_path / "pkg"
    spec = str(LARGE_SPEC)  # the largest spec at hand: a cold run of it lasts long enough to be hit
    assert careforge("generate", spec, "--out", out, cwd=tmp_path).code == 0
    before = tree(out)
    hit = 0
    for delay in (0.6, 1.0, 1.4, 1.8, 2.2):  # imports, validation, models, formatting, writing
        env = {**os.environ, "CAREFORGE_CACHE_DIR": str(tmp_path / f"cold-{delay}")}
        process = subprocess.Popen([sys.executable, "-m", "generator", "generate", spec, "--out", str(out), "--force"],
                                   cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        process.send_signal(sent)
        _, stderr = process.communicate(timeout=120)
        if process.returncode == 0 or (process.returncode == -sent and not stderr):
            # It finished before the signal came, or while the interpreter was ending, after its work
            # (Python puts the default handlers back then; a shell reports 128+N either way).
            assert tree(out) == before
            continue
        hit += 1
        assert process.returncode == code, (delay, stderr)
        _no_traceback(stderr)
        assert not list(tmp_path.glob(".careforge-*"))
        assert tree(out) == before
    assert hit >= 2, "the runs finished before the signals came: nothing was tested"


def test_a_symlinked_out_folder_is_written_where_it_points(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    for _ in range(2):  # the second run goes through the swap of a folder that exists
        run = careforge("generate", SPEC, "--out", "link", "--force", cwd=tmp_path)
        assert run.code == 0, run.stderr
        assert (tmp_path / "link").is_symlink() and (tmp_path / "real" / ".careforge.json").is_file()
        assert not list(tmp_path.glob(".careforge-*"))


def test_a_generated_file_replaced_by_a_symlink_counts_as_changed(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    assert careforge("generate", SPEC, "--out", out, cwd=tmp_path).code == 0
    (out / "README.md").unlink()
    (out / "README.md").symlink_to(tmp_path / "nowhere")
    run = careforge("generate", SPEC, "--out", out, cwd=tmp_path)
    assert run.code == 5 and "changed since Careforge wrote it (README.md)" in run.stderr, run.stderr
    assert careforge("generate", SPEC, "--out", out, "--force", cwd=tmp_path).code == 0
    assert (out / "README.md").is_file() and not (out / "README.md").is_symlink()


def test_build_refuses_a_package_that_is_not_the_one_generated(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    assert careforge("generate", SPEC, "--out", out, cwd=tmp_path).code == 0
    [models] = [p for p in out.glob("*/models.py")]
    models.unlink()
    run = careforge("build", out, "--out-dir", tmp_path / "dist", cwd=tmp_path)
    assert run.code == 1 and "missing or changed since" in run.stderr, run.stderr
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").iterdir())


def test_json_format_keeps_the_runs_own_messages_json(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("x\n")
    run = careforge("generate", SPEC, "--out", "mine", "--format", "json", cwd=tmp_path)
    assert run.code == 5
    [line] = [json.loads(line) for line in run.stderr.splitlines()]
    assert line["careforge"] == "refused" and "notes.txt" in line["message"]


def test_check_and_generate_agree_on_tool_leftovers(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    assert careforge("generate", SPEC, "--out", out, cwd=tmp_path).code == 0
    (out / ".pytest_cache" / "v").mkdir(parents=True)
    (out / ".pytest_cache" / "v" / "x").write_text("x\n")
    check = careforge("check", SPEC, "--out", out, cwd=tmp_path)
    assert check.code == 0 and "is up to date" in check.stdout, check.stdout + check.stderr
    again = careforge("generate", SPEC, "--out", out, cwd=tmp_path)
    assert again.code == 0 and again.stdout.startswith("unchanged"), again.stdout
