"""`careforge watch`: the generator kept loaded, regenerating a package as soon as one of its inputs changes.

A one-shot run after a small edit spends most of its time starting Python and importing the generator
and its tools (the OpenAPI validator, JSON Schema, the model generator). Here they are imported once,
before the first run, so each edit costs only its own work, and the children forked for the checks
have them already. Inputs are polled by their status (modification time, size, inode): nothing to
install, no file-system notification to lose; a write seen half done is reported, then seen again.
"""

from __future__ import annotations

import gc
import os
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from .manifest import package_files, read_manifest
from .pipeline import Target

POLL = 0.02  # seconds between looks at the inputs: a stat of a few files costs microseconds

Stamp = tuple[tuple[str, int, int, int], ...]


def warm_up() -> None:
    """Import every stage now, and run the model generator once, so no run pays for it (the command
    line imports the comparison of what changed itself)."""
    from . import lint, pipeline, render, schema_check, spec_validator, write  # noqa: F401
    from .format import format_files  # noqa: F401
    from .ir import build  # noqa: F401
    from .model_worker import warm_up as models_warm_up
    from .view import build_views  # noqa: F401

    models_warm_up()
    _rehearse()
    # What is loaded now lives as long as the process: the collector need not scan it at every run
    # (it would, as each run makes many objects; a run took a third longer).
    gc.collect()
    gc.freeze()


# A small spec of each OpenAPI version with what the checks look at: a path parameter, a schema by
# reference, an example to check against it.
_REHEARSAL = """\
openapi: {version}
info: {{title: Rehearsal, version: "1"}}
paths:
  /things/{{id}}:
    get:
      operationId: get_thing
      tags: [things]
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Thing'}}
              example: {{id: a}}
tags: [{{name: things}}]
components:
  schemas:
    Thing: {{type: object, properties: {{id: {{type: string}}}}}}
"""


def _rehearse() -> None:
    from .load import load
    from .resolve import resolve
    from .validate import rehearse

    with tempfile.TemporaryDirectory(prefix="careforge-rehearsal-") as folder:
        for version in ("3.0.3", "3.1.0"):
            path = Path(folder) / f"{version}.yaml"
            path.write_text(_REHEARSAL.format(version=version), encoding="utf-8")
            rehearse(resolve(load(path, path.name)))


def inputs(target: Target) -> list[Path]:
    """The files a target is made from: its spec, the files it refers to (as its text names them, and
    as its manifest lists them), its rules and changelog."""
    found = [target.spec, *_named(target.spec)]
    recorded = (read_manifest(target.out) or {}).get("inputs", {})
    recorded = recorded.get("spec", {}) if isinstance(recorded, dict) else {}
    if isinstance(recorded, dict):
        found += [target.spec.parent / name for name in recorded]
    found += [p for p in (target.rules, target.changelog) if p is not None]
    return sorted(set(found))


# The file part of a `$ref`, in YAML or JSON: read from the text, so a file that is not made yet, or
# does not parse yet, is watched all the same (the manifest lists only what the last package used).
_REF = re.compile(r"""\$ref["']?\s*:\s*["']?([^"'\s#,{}\[\]]+)""")


def _named(spec: Path) -> list[Path]:
    found: list[Path] = []
    queue, seen = [spec], {spec}
    while queue:
        path = queue.pop()
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for part in _REF.findall(text):
            if urlsplit(part).scheme:
                continue
            named = Path(os.path.normpath(path.parent / part))
            if named not in seen:
                seen.add(named)
                found.append(named)
                queue.append(named)
    return found


def output(target: Target) -> list[Path]:
    """The files of a target's package folder: watched while the folder is refused, so that putting
    right what was edited by hand is a change. A folder Careforge did not make (no manifest) may be
    large: only the folder itself is watched, which changes as files are added or removed in it."""
    if read_manifest(target.out) is None:
        return [target.out]
    return [target.out, *(target.out / name for name in package_files(target.out))]


def stamp(paths: Sequence[Path]) -> Stamp:
    """What a file's status says of its content; a missing file has its own stamp."""
    found = []
    for path in paths:
        try:
            status = os.stat(path)
        except OSError:
            found.append((str(path), -1, -1, -1))
            continue
        found.append((str(path), status.st_mtime_ns, status.st_size, status.st_ino))
    return tuple(found)


def watch(targets: Sequence[Target], run: Callable[[Target], bool], *, poll: float = POLL,
          ready: Callable[[], None] = lambda: None) -> None:
    """Run `run` on every target, then on each target whose inputs change, until stopped (Ctrl-C).
    `run` says False when the target's folder was refused: its files are watched too until it is not.
    `ready` is called once, after the first run."""
    watched: dict[Target, list[Path]] = {}
    seen: dict[Target, Stamp] = {}
    pending: Sequence[Target] = targets
    first = True
    while True:
        for target in pending:  # one at a time: one target's error or refusal leaves the others' runs alone
            # What the target is made from, looked at before the run: an edit made during it is seen on
            # the next look.
            watched[target] = inputs(target)
            seen[target] = stamp(watched[target])
            made = output(target)
            made_seen = stamp(made)
            gc.disable()  # a run's objects mostly die with it: collected after it, not during it
            try:
                taken = run(target)
            finally:
                gc.enable()
            gc.collect()
            more = [p for p in inputs(target) if p not in watched[target]]  # named only as the run found it
            watched[target] += more
            seen[target] += stamp(more)
            if not taken:
                watched[target] += made
                seen[target] += made_seen
        if first:
            ready()
            first = False
        time.sleep(poll)
        pending = [target for target in targets if stamp(watched[target]) != seen[target]]
