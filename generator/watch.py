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
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .manifest import read_manifest
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
    """The files a target is made from: its spec, the files it refers to (as its manifest lists them),
    its rules and changelog."""
    found = [target.spec]
    recorded = (read_manifest(target.out) or {}).get("inputs", {}).get("spec", {})
    if isinstance(recorded, dict):
        found += [target.spec.parent / name for name in recorded]
    found += [p for p in (target.rules, target.changelog) if p is not None]
    return sorted(set(found))


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


def watch(targets: Sequence[Target], run: Callable[[Sequence[Target]], None], *, poll: float = POLL,
          ready: Callable[[], None] = lambda: None) -> None:
    """Run `run` on every target, then on each target whose inputs change, until stopped (Ctrl-C).
    `ready` is called once, after the first run."""
    watched = {target: inputs(target) for target in targets}
    seen = {target: stamp(paths) for target, paths in watched.items()}
    pending: Sequence[Target] = targets
    first = True
    while True:
        if pending:
            gc.disable()  # a run's objects mostly die with it: collected after it, not during it
            try:
                run(pending)
            finally:
                gc.enable()
            gc.collect()
            for target in pending:  # a run may have found files it refers to, or dropped some
                paths = inputs(target)
                if paths != watched[target]:
                    watched[target], seen[target] = paths, stamp(paths)
        if first:
            ready()
            first = False
        time.sleep(poll)
        pending = []
        for target in targets:
            now = stamp(watched[target])
            if now != seen[target]:
                seen[target] = now  # taken before the run: an edit made during it is seen on the next look
                pending.append(target)
