"""`generate` killed (SIGKILL) at many moments over an older package: the out dir always holds the whole
old tree or the whole new one, and the next run cleans up what the killed one left.

The run is timed first (two at a time, as the kills run); then it is killed after ten delays spread
over that time (seeded, so every run of this test tries the same moments), and at six moments
spread over the time its staging folder exists, the only window where the writing and the swap
itself can be hit. See generator/write.py for how the swap works.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import write

from ._harness import invoke, tree

TIMED_KILLS = 10
STAGED_KILLS = (0.0, 0.02, 0.05, 0.1, 0.25, 0.5)  # once the staging folder is seen: this share of its lifetime later
SEED = 20241201


def spec(title: str, tags: int, note: str) -> str:
    """A valid spec with `tags` resources (a module and a test module each)."""
    lines = [
        "openapi: 3.1.0",
        f"info: {{title: {title}, version: '1', description: {note}}}",
        "servers: [{url: 'https://kill.example.test'}]",
        "tags:",
        *[f"  - {{name: things{i}, description: Things {i}.}}" for i in range(tags)],
        "paths:",
    ]
    for i in range(tags):
        lines += [
            f"  /things{i}/{{thing_id}}:",
            "    get:",
            f"      operationId: things{i}_retrieve",
            f"      tags: [things{i}]",
            "      parameters: [{name: thing_id, in: path, required: true, schema: {type: string}}]",
            "      responses:",
            "        '200':",
            "          description: ok",
            "          content:",
            "            application/json:",
            f"              schema: {{$ref: '#/components/schemas/Thing{i}'}}",
            f"              example: {{id: t{i}, note: {note}}}",
        ]
    lines += ["components:", "  schemas:"]
    for i in range(tags):
        lines += [f"    Thing{i}:", "      type: object", "      required: [id]",
                  "      properties: {id: {type: string}, note: {type: string}}"]
    return "\n".join(lines) + "\n"


OLD = spec("Kill", 1, "old")
NEW = spec("Kill", 4, "new")


def digests(folder: Path) -> dict[str, str]:
    return {path: hashlib.sha256(data).hexdigest() for path, data in tree(folder).items()}


def staging(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.glob(".careforge-*"))


@dataclass(frozen=True)
class Trees:
    old: dict[str, str]
    new: dict[str, str]
    pristine_old: Path
    duration: float  # of a whole run
    window: float  # how long a run's staging folder exists
    scratch: Path


@dataclass(frozen=True)
class Killed:
    root: Path
    delay: float
    state: str  # 'old', 'new', or 'aside' (see _state)
    left: tuple[str, ...]  # staging folders the killed run left


def _start(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "generator", "generate", "openapi.yaml", "--out", "out"], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _stage(trees: Trees, name: str) -> Path:
    """A fresh root holding the old package in out/ and the new spec."""
    root = trees.scratch / name
    shutil.copytree(trees.pristine_old, root / "out")
    (root / "openapi.yaml").write_text(NEW, encoding="utf-8")
    return root


def _timed(root: Path) -> tuple[float, float]:
    """Run to the end: how long it took, and how long its staging folder existed (the write window)."""
    staged = root / ".careforge-new-out"
    started = time.monotonic()
    process = _start(root)
    seen: float | None = None
    gone: float | None = None
    while process.poll() is None:
        now = time.monotonic()
        if staged.exists():
            seen = now if seen is None else seen
        elif seen is not None and gone is None:
            gone = now
        time.sleep(0.0005)
    end = time.monotonic()
    assert process.returncode == 0, "the uninterrupted run failed"
    return end - started, ((gone or end) - seen) if seen is not None else 0.0


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> Trees:
    root = tmp_path_factory.mktemp("atomic")
    (root / "openapi.yaml").write_text(OLD, encoding="utf-8")
    assert invoke("generate", "openapi.yaml", "--out", "out", cwd=root).code == 0
    pristine = tmp_path_factory.mktemp("atomic-old") / "out"
    shutil.copytree(root / "out", pristine)
    (root / "openapi.yaml").write_text(NEW, encoding="utf-8")
    assert _start(root).wait(timeout=300) == 0, "the uninterrupted run failed"
    scratch = tmp_path_factory.mktemp("kills")
    trees = Trees(digests(pristine), digests(root / "out"), pristine, 0.0, 0.0, scratch)
    assert trees.old != trees.new and not staging(root / "out")
    # Timed the way the kills run: two at a time, over the old tree, with the generator's cache warm.
    with ThreadPoolExecutor(max_workers=2) as pool:
        timings = list(pool.map(lambda name: _timed(_stage(trees, name)), ["timed-a", "timed-b"]))
    for name in ("timed-a", "timed-b"):
        assert digests(scratch / name / "out") == trees.new
    return Trees(trees.old, trees.new, pristine, max(t for t, _ in timings), max(w for _, w in timings), scratch)


def _exchange_supported(folder: Path) -> bool:
    a, b = folder / "exchange-a", folder / "exchange-b"
    a.mkdir()
    b.mkdir()
    try:
        return write._exchange(a, b)
    finally:
        shutil.rmtree(a)
        shutil.rmtree(b)


def _state(trees: Trees, out: Path) -> str:
    """'old' or 'new'; without RENAME_EXCHANGE also 'aside' (documented: the next run puts it back)."""
    if not out.exists():
        aside = out.parent / f".careforge-old-{out.name}"
        assert not _exchange_supported(out.parent), "the out dir vanished although the swap is one rename"
        assert aside.is_dir() and digests(aside) == trees.old, "the out dir is gone and the old tree is not aside"
        return "aside"
    found = digests(out)
    if found == trees.old:
        return "old"
    if found == trees.new:
        return "new"
    differ = sorted(set(found) ^ set(trees.new)) or sorted(p for p in found if found[p] != trees.new[p])
    raise AssertionError(f"{out.parent.name}: the out dir is neither the old nor the new tree (e.g. {differ[:5]})")


def _kill(trees: Trees, name: str, delay: float, *, after_staging: bool) -> Killed:
    """Start a run over the old package and SIGKILL it `delay` seconds after it starts (or after it stages)."""
    root = _stage(trees, name)
    staged = root / ".careforge-new-out"
    process = _start(root)
    if after_staging:
        while not staged.exists() and process.poll() is None:
            time.sleep(0.0005)
    time.sleep(delay)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    return Killed(root, delay, _state(trees, root / "out"), tuple(staging(root / "out")))


def _kill_all(trees: Trees, plans: list[tuple[str, float, bool]]) -> list[Killed]:
    # Two at a time (two cores): each run has a root of its own.
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda plan: _kill(trees, plan[0], plan[1], after_staging=plan[2]), plans))


def _next_run_recovers(trees: Trees, killed: Killed) -> None:
    run = invoke("generate", "openapi.yaml", "--out", "out", cwd=killed.root)
    assert run.code == 0, run.output
    assert digests(killed.root / "out") == trees.new
    assert staging(killed.root / "out") == [], "the next run left staging folders"


def test_a_kill_at_any_moment_leaves_the_old_or_the_new_tree(trees: Trees) -> None:
    rng = random.Random(SEED)
    # One delay in each tenth of the measured run, at a random place inside it.
    delays = [trees.duration * (i + rng.random()) / TIMED_KILLS for i in range(TIMED_KILLS)]
    killed = _kill_all(trees, [(f"timed-{i}", delay, False) for i, delay in enumerate(delays)])
    assert all(k.state in ("old", "new", "aside") for k in killed)
    assert any(k.state == "old" for k in killed), "no kill landed before the swap"
    for k in killed:
        if k.left or k.state == "aside":  # otherwise the next run is an ordinary one: nothing to recover
            _next_run_recovers(trees, k)


def test_a_kill_during_the_write_leaves_the_old_or_the_new_tree(trees: Trees) -> None:
    plans = [(f"staged-{i}", share * trees.window, True) for i, share in enumerate(STAGED_KILLS)]
    killed = _kill_all(trees, plans)
    assert any(k.left for k in killed), f"no kill landed while staging: {killed}"
    for k in killed:
        _next_run_recovers(trees, k)


def test_the_next_run_recovers_a_swap_left_half_done(trees: Trees) -> None:
    # The state a run without RENAME_EXCHANGE leaves when killed between its two renames.
    root = _stage(trees, "half-done")
    os.rename(root / "out", root / ".careforge-old-out")
    shutil.copytree(trees.pristine_old, root / ".careforge-new-out")
    _next_run_recovers(trees, Killed(root, 0.0, "aside", (".careforge-new-out", ".careforge-old-out")))
