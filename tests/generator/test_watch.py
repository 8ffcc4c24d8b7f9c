"""`careforge watch`: each change of a spec, or of a file it refers to, regenerates the package, and
what it writes is what a one-shot `careforge generate` of the same final spec writes (the judge).

The command runs as a user runs it: a process of its own, edited files, Ctrl-C to stop, after which
no process of its may be left.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import careforge, process_group, tree

SPEC = """\
openapi: 3.1.0
info: {title: Pets, version: "1"}
servers: [{url: "https://pets.example.test"}]
tags: [{name: pets}]
paths:
  /pets:
    get:
      operationId: list_pets
      summary: List pets
      tags: [pets]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: 'shared.yaml#/Pet'}}
              example: [{name: Rex}]
"""
SHARED = "Pet: {type: object, properties: {name: {type: string}}}\n"
ADDED = """\
  /pets/{name}:
    get:
      operationId: get_pet
      summary: Get a pet
      tags: [pets]
      parameters: [{name: name, in: path, required: true, schema: {type: string}, example: Rex}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'shared.yaml#/Pet'}
              example: {name: Rex}
"""
WAIT = 120.0  # seconds: generous, the machine is shared


class Watching:
    def __init__(self, folder: Path, *args: str) -> None:
        env = {**os.environ, "CAREFORGE_CACHE_DIR": str(folder / "cache")}
        args = args or ("openapi.yaml", "--out", "out", "--package", "pets_client")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "watch", *args],
            cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        for name, stream in (("out", self.process.stdout), ("err", self.process.stderr)):
            threading.Thread(target=self._read, args=(name, stream), daemon=True).start()

    def _read(self, name: str, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.put((name, line))

    def until(self, *texts: str, wait: float = WAIT) -> list[str]:
        """Lines up to the one where each of `texts` has been seen (the two streams are read apart, so
        their lines may come in either order)."""
        seen: list[str] = []
        missing = list(texts)
        ends = time.monotonic() + wait
        while time.monotonic() < ends:
            try:
                _, line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, f"watch ended ({self.process.returncode}): {seen}"
                continue
            seen.append(line)
            missing = [text for text in missing if text not in line]
            if not missing:
                return seen
        raise AssertionError(f"no line with {missing!r} in {wait} s: {seen}")

    def stop(self) -> None:
        """Ctrl-C, then no process of the watch may be left."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                assert self.process.wait(timeout=WAIT) == 130
            finally:
                if self.process.poll() is None:
                    os.killpg(self.process.pid, signal.SIGKILL)
        ends = time.monotonic() + 1.0
        while process_group(self.process.pid) and time.monotonic() < ends:
            time.sleep(0.05)
        assert process_group(self.process.pid) == []


def test_each_change_regenerates_as_a_one_shot_run_would(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    spec, shared = folder / "openapi.yaml", folder / "shared.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    shared.write_text(SHARED, encoding="utf-8")
    watching = Watching(folder)
    try:
        watching.until("watching", "generated out from openapi.yaml in ")
        spec.write_text(SPEC.replace("summary: List pets", "summary: List every pet"), encoding="utf-8")
        watching.until("generated out")
        assert b"List every pet" in (folder / "out" / "pets_client" / "resources" / "pets.py").read_bytes()
        shared.write_text(SHARED.replace("{name: {type: string}}", "{name: {type: string}, age: {type: integer}}"),
                          encoding="utf-8")  # a file the spec refers to
        watching.until("generated out")
        before = tree(folder / "out")
        spec.write_text(SPEC.replace("operationId: list_pets", "operationId: [not, text]"), encoding="utf-8")
        watching.until("nothing was written")
        assert tree(folder / "out") == before  # a broken spec leaves the package as it was
        spec.write_text(SPEC.replace("summary: List pets", "summary: List every pet") + ADDED, encoding="utf-8")
        watching.until("generated out")
        assert b"def get_pet(" in (folder / "out" / "pets_client" / "resources" / "pets.py").read_bytes()
        watching.process.send_signal(signal.SIGINT)
        assert watching.process.wait(timeout=WAIT) == 130
    finally:
        if watching.process.poll() is None:
            os.killpg(watching.process.pid, signal.SIGKILL)
    ends = time.monotonic() + 1.0
    while process_group(watching.process.pid) and time.monotonic() < ends:
        time.sleep(0.05)
    assert process_group(watching.process.pid) == []
    # The judge: a one-shot run of the final spec, in a fresh process, with no cache.
    alone = tmp_path / "alone"
    alone.mkdir()
    for name in ("openapi.yaml", "shared.yaml"):
        (alone / name).write_bytes((folder / name).read_bytes())
    run = careforge("generate", "openapi.yaml", "--out", "out", "--package", "pets_client", cwd=alone,
                    env={"CAREFORGE_CACHE_DIR": "off"})
    assert run.code == 0, run.stderr
    assert tree(folder / "out") == tree(alone / "out")


def _judged(folder: Path, tmp_path: Path, names: list[str], *args: str, within: str = ".") -> None:
    """The package(s) the watch left equal what a one-shot run of the final inputs writes (run in the
    folder `within`, as the watch was)."""
    alone = tmp_path / "alone"
    for name in names:
        source, copy = folder / name, alone / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.is_file():
            copy.write_bytes(source.read_bytes())
    run = careforge("generate", *args, cwd=alone / within, env={"CAREFORGE_CACHE_DIR": "off"})
    assert run.code == 0, run.stderr
    out = Path(within, "out" if "--out" in args else "generated")
    assert (alone / out).is_dir()
    assert tree(folder / out) == tree(alone / out)


def test_a_file_the_spec_comes_to_name_is_watched_though_the_run_failed(tmp_path: Path) -> None:
    # The files a spec refers to were known from the last package's manifest only: one named by an
    # edit that fails (not made yet, or broken) was never looked at again.
    folder = tmp_path / "project"
    folder.mkdir()
    spec = folder / "openapi.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    (folder / "shared.yaml").write_text(SHARED, encoding="utf-8")
    toys = folder / "parts" / "toys.yaml"
    watching = Watching(folder)
    try:
        watching.until("watching", "generated out from openapi.yaml in ")
        spec.write_text(SPEC.replace("shared.yaml#/Pet", "parts/toys.yaml#/Toy"), encoding="utf-8")
        watching.until("nothing was written")  # a file not made yet
        toys.parent.mkdir()
        toys.write_text("Toy: {type: object, properties: {name: {type: string}\n", encoding="utf-8")
        watching.until("nothing was written", wait=30)  # made, but broken
        toys.write_text("Toy: {type: object, properties: {label: {type: string}}}\n", encoding="utf-8")
        watching.until("generated out", wait=30)
    finally:
        watching.stop()
    _judged(folder, tmp_path, ["openapi.yaml", "shared.yaml", "parts/toys.yaml"],
            "openapi.yaml", "--out", "out", "--package", "pets_client")


def test_a_rules_file_made_while_watching_is_used(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "openapi.yaml").write_text(SPEC, encoding="utf-8")
    (folder / "shared.yaml").write_text(SHARED, encoding="utf-8")
    watching = Watching(folder)
    try:
        watching.until("watching", "generated out from openapi.yaml in ")
        (folder / "rules.toml").write_text('[package]\nversion = "9.9.9"\n', encoding="utf-8")
        watching.until("generated out", wait=30)
    finally:
        watching.stop()
    _judged(folder, tmp_path, ["openapi.yaml", "shared.yaml", "rules.toml"],
            "openapi.yaml", "--out", "out", "--package", "pets_client")


def test_vendors_are_run_apart_and_a_refused_folder_is_tried_again_once_set_right(tmp_path: Path) -> None:
    # All targets changed in one look were run together, and a spec error or a refused folder in one
    # wrote none: the others' edits were lost until edited again. A folder refused for a hand edit
    # stayed so after the edit was undone, until the next edit of an input.
    folder = tmp_path / "project"
    names = []
    for vendor in ("a", "b"):
        (folder / "specs" / vendor).mkdir(parents=True)
        for name, text in (("openapi.yaml", SPEC), ("shared.yaml", SHARED),
                           ("rules.toml", f'[package]\nname = "{vendor}-client"\nversion = "1.0.0"\n')):
            (folder / "specs" / vendor / name).write_text(text, encoding="utf-8")
            names.append(f"specs/{vendor}/{name}")
    spec_a, spec_b = folder / "specs/a/openapi.yaml", folder / "specs/b/openapi.yaml"
    watching = Watching(folder, "-v", "--root", ".")
    try:
        watching.until("watching", "generated generated/a", "generated generated/b")
        spec_a.write_text(SPEC.replace("summary: List pets", "summary: List every pet"), encoding="utf-8")
        watching.until("building generated/a")
        # While that run is under way: both are seen in the next look.
        spec_a.write_text(SPEC.replace("operationId: list_pets", "operationId: [not, text]"), encoding="utf-8")
        spec_b.write_text(SPEC.replace("summary: List pets", "summary: List all pets"), encoding="utf-8")
        watching.until("nothing was written", "generated generated/b", wait=30)
        spec_a.write_text(SPEC.replace("summary: List pets", "summary: List the pets"), encoding="utf-8")
        watching.until("generated generated/a", wait=30)
        edited = folder / "generated/a/README.md"
        written = edited.read_bytes()
        edited.write_bytes(written + b"\nA note of mine.\n")
        spec_a.write_text(SPEC.replace("summary: List pets", "summary: List each pet"), encoding="utf-8")
        watching.until("refusing to write into generated/a", wait=30)
        edited.write_bytes(written)
        watching.until("generated generated/a", wait=30)
    finally:
        watching.stop()
    _judged(folder, tmp_path, names, "--root", ".")


def test_an_edit_during_a_run_is_not_taken_for_what_the_package_was_made_from(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The manifest's digests of the inputs were taken at the end of a run, from the files as they were
    # then: a file edited during the run was recorded as made, and every later run said "unchanged".
    from generator import pipeline, render

    spec, shared, rules = tmp_path / "openapi.yaml", tmp_path / "shared.yaml", tmp_path / "rules.toml"
    spec.write_text(SPEC, encoding="utf-8")
    shared.write_text(SHARED, encoding="utf-8")
    rules.write_text('[package]\nversion = "1.0.0"\n', encoding="utf-8")
    target = pipeline.Target(spec=spec, out=tmp_path / "out", rules=rules, package="pets_client")
    real = render.render

    def editing(*args: object, **kwargs: object) -> object:
        spec.write_text(SPEC.replace("summary: List pets", "summary: List every pet"), encoding="utf-8")
        shared.write_text(SHARED.replace("name:", "label:"), encoding="utf-8")
        rules.write_text('[package]\nversion = "2.0.0"\n', encoding="utf-8")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "render", editing)
    assert pipeline.generate([target]).written == [target]
    monkeypatch.setattr(render, "render", real)
    assert pipeline.generate([target]).written == [target]  # the edits are seen: made again
    made = tree(tmp_path / "out")
    alone = tmp_path / "alone"
    alone.mkdir()
    for path in (spec, shared, rules):
        (alone / path.name).write_bytes(path.read_bytes())
    run = careforge("generate", "openapi.yaml", "--out", "out", "--package", "pets_client", cwd=alone,
                    env={"CAREFORGE_CACHE_DIR": "off"})
    assert run.code == 0, run.stderr
    assert made == tree(alone / "out")


def test_a_changelog_that_is_not_utf8_is_reported_and_the_watch_goes_on(tmp_path: Path) -> None:
    # It was read as if it could not fail: the run ended in an internal error, and so did the watch.
    folder = tmp_path / "project"
    (folder / "specs" / "a").mkdir(parents=True)
    names = []
    for name, text in (("openapi.yaml", SPEC), ("shared.yaml", SHARED), ("CHANGELOG.md", "# Changes\n"),
                       ("rules.toml", '[package]\nname = "a-client"\nversion = "1.0.0"\n')):
        (folder / "specs" / "a" / name).write_text(text, encoding="utf-8")
        names.append(f"specs/a/{name}")
    changelog = folder / "specs" / "a" / "CHANGELOG.md"
    watching = Watching(folder, "--root", ".")
    try:
        watching.until("watching", "generated generated/a")
        changelog.write_bytes("# Changes\n\n- Caf\u00e9 opened\n".encode("latin-1"))
        said = watching.until("nothing was written", wait=30)
        assert any("specs/a/CHANGELOG.md:3:" in line and "not UTF-8" in line for line in said), said
        changelog.write_text("# Changes\n\n- Caf\u00e9 opened\n", encoding="utf-8")
        watching.until("generated generated/a", wait=30)
    finally:
        watching.stop()
    _judged(folder, tmp_path, names, "--root", ".")


def test_a_file_outside_the_spec_folder_is_watched(tmp_path: Path) -> None:
    # The manifest names such a file by its name alone (its path is not below the spec's folder): the
    # watch looked for it beside the spec and never saw it change.
    folder = tmp_path / "project"
    (folder / "api").mkdir(parents=True)
    (folder / "common").mkdir()
    (folder / "api" / "openapi.yaml").write_text(SPEC.replace("shared.yaml#", "../common/shared.yaml#"),
                                                 encoding="utf-8")
    shared = folder / "common" / "shared.yaml"
    shared.write_text(SHARED, encoding="utf-8")
    watching = Watching(folder / "api")
    try:
        watching.until("watching", "generated out from openapi.yaml in ")
        shared.write_text(SHARED.replace("name:", "label:"), encoding="utf-8")
        watching.until("generated out", wait=30)
    finally:
        watching.stop()
    _judged(folder, tmp_path, ["api/openapi.yaml", "common/shared.yaml"],
            "openapi.yaml", "--out", "out", "--package", "pets_client", within="api")


def test_a_manifest_edited_into_another_shape_is_made_again(tmp_path: Path) -> None:
    # Its inputs were read as a mapping without looking: generate ended in an internal error, and a
    # watch ended before its first run.
    from generator import pipeline, watch

    (tmp_path / "openapi.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "shared.yaml").write_text(SHARED, encoding="utf-8")
    target = pipeline.Target(spec=tmp_path / "openapi.yaml", out=tmp_path / "out", package="pets_client")
    assert pipeline.generate([target]).written == [target]
    manifest = tmp_path / "out" / ".careforge.json"
    made = manifest.read_text(encoding="utf-8")
    edited = json.loads(made)
    edited["inputs"] = [edited["inputs"]]
    manifest.write_text(json.dumps(edited), encoding="utf-8")
    assert watch.inputs(target) == [tmp_path / "openapi.yaml", tmp_path / "shared.yaml"]
    assert pipeline.generate([target]).written == [target]
    assert manifest.read_text(encoding="utf-8") == made
