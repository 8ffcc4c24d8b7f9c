"""`careforge watch`: each change of a spec, or of a file it refers to, regenerates the package, and
what it writes is what a one-shot `careforge generate` of the same final spec writes (the judge).

The command runs as a user runs it: a process of its own, edited files, Ctrl-C to stop, after which
no process of its may be left.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import careforge, tree

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
    def __init__(self, folder: Path) -> None:
        env = {**os.environ, "CAREFORGE_CACHE_DIR": str(folder / "cache")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "watch", "openapi.yaml", "--out", "out", "--package", "pets_client"],
            cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        for name, stream in (("out", self.process.stdout), ("err", self.process.stderr)):
            threading.Thread(target=self._read, args=(name, stream), daemon=True).start()

    def _read(self, name: str, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.put((name, line))

    def until(self, *texts: str) -> list[str]:
        """Lines up to the one where each of `texts` has been seen (the two streams are read apart, so
        their lines may come in either order)."""
        seen: list[str] = []
        missing = list(texts)
        ends = time.monotonic() + WAIT
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
        raise AssertionError(f"no line with {missing!r} in {WAIT} s: {seen}")


def _group(pgid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if fields[0] != "Z" and int(fields[2]) == pgid:
                found.append(int(entry.name))
    return found


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
    while _group(watching.process.pid) and time.monotonic() < ends:
        time.sleep(0.05)
    assert _group(watching.process.pid) == []
    # The judge: a one-shot run of the final spec, in a fresh process, with no cache.
    alone = tmp_path / "alone"
    alone.mkdir()
    for name in ("openapi.yaml", "shared.yaml"):
        (alone / name).write_bytes((folder / name).read_bytes())
    run = careforge("generate", "openapi.yaml", "--out", "out", "--package", "pets_client", cwd=alone,
                    env={"CAREFORGE_CACHE_DIR": "off"})
    assert run.code == 0, run.stderr
    assert tree(folder / "out") == tree(alone / "out")


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
