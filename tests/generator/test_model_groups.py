"""Models made group by group (model_groups.py, model_assembly.py) say what one run over the whole spec
says: every class the IR names is written alike (the model generator's one run is the oracle), only
the model generator's own classes may be named otherwise; a changed schema makes only its group again;
killed, a run leaves no worker behind."""

from __future__ import annotations

import ast
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import model_groups, models
from generator.ir.build import build
from generator.ir.model import Api
from generator.load import load
from generator.model_groups import groups
from generator.resolve import resolve

REPO = Path(__file__).resolve().parents[2]
SPECS = sorted((REPO / "specs").glob("*/openapi.yaml")) + sorted((REPO / "tests/generator/specs").glob("**/*.yaml"))
SPECS = [s for s in SPECS if s.name != "invalid-pattern-type.yaml"]  # refused by the validator, no models

# Names clash across groups, a cycle, inheritance across groups, a discriminated union, an enum two
# groups share, inline enums the model generator names itself, schemas named like builtins.
HOSTILE = """\
openapi: 3.1.0
info: {title: Hostile, version: "1"}
paths: {}
components:
  schemas:
    Node:
      type: object
      properties:
        next: {$ref: "#/components/schemas/Edge"}
        state: {type: string, enum: [open, closed]}
    Edge:
      type: object
      properties:
        to: {$ref: "#/components/schemas/Node"}
        state: {type: string, enum: [open, closed]}
    Base:
      type: object
      required: [id]
      properties:
        id: {type: string}
        state: {type: string, enum: [new, old]}
    Child:
      allOf:
        - $ref: "#/components/schemas/Base"
        - type: object
          required: [state]
          properties:
            extra: {type: integer}
    Color: {type: string, enum: [red, green]}
    Paint:
      type: object
      properties:
        color: {$ref: "#/components/schemas/Color"}
        state: {type: string, enum: [wet, dry]}
    Wall:
      type: object
      properties:
        color: {$ref: "#/components/schemas/Color"}
        date: {type: string, format: date}
    Cat:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
        meow: {type: boolean}
    Dog:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
        bark: {type: boolean}
    Pet:
      oneOf:
        - $ref: "#/components/schemas/Cat"
        - $ref: "#/components/schemas/Dog"
      discriminator:
        propertyName: kind
        mapping: {cat: "#/components/schemas/Cat", dog: "#/components/schemas/Dog"}
    Owner:
      type: object
      properties:
        pet: {$ref: "#/components/schemas/Pet"}
        when: {type: string, format: date}
        tags: {type: object, additionalProperties: {type: string}}
    List:
      type: object
      properties:
        items: {type: array, items: {$ref: "#/components/schemas/Dict"}}
    Dict:
      type: object
      properties:
        any: {}
        str: {type: string}
    Status:
      type: object
      properties:
        code: {type: integer}
    TaskStatus: {type: string, enum: [queued, done]}
    TaskPart1:
      type: object
      required: [status]
      properties:
        status: {$ref: "#/components/schemas/TaskStatus"}
    TaskPart2:
      type: object
      properties:
        status: {type: string}
    Task:
      allOf:
        - $ref: "#/components/schemas/TaskPart1"
        - $ref: "#/components/schemas/TaskPart2"
    Leaf:
      type: object
      properties:
        name: {type: string}
"""


def _api(path: Path) -> Api:
    api, _ = build(resolve(load(path, path.name)), strict=False)
    return api


def _hostile(tmp_path: Path, text: str = HOSTILE) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _classes(source: str) -> tuple[dict[str, str], list[str], set[str]]:
    """Each class's source, the other statements, the names imported."""
    tree = ast.parse(source)
    lines = source.split("\n")
    classes = {n.name: "\n".join(lines[n.lineno - 1:n.end_lineno]) for n in tree.body if isinstance(n, ast.ClassDef)}
    other = [ast.unparse(n) for n in tree.body if not isinstance(n, (ast.ClassDef, ast.Import, ast.ImportFrom))]
    imported = {a.asname or a.name for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
    return classes, other, imported


def _own_names_blanked(classes: dict[str, str], known: set[str]) -> list[str]:
    """The class sources with every name of the model generator's own classes written `_`."""
    own = sorted(set(classes) - known, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, own)) + r")\b") if own else None
    return sorted(pattern.sub("_", text) if pattern else text for text in classes.values())


def _both(api: Api, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[str, str]:
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache-whole"))
    monkeypatch.setattr(models, "GROUP_FROM", 10**9)
    whole = models.generate_models(api, spec_name="spec", title="Spec")
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache-groups"))
    monkeypatch.setattr(models, "GROUP_FROM", 1)
    grouped = models.generate_models(api, spec_name="spec", title="Spec")
    return whole, grouped


def _assert_alike(api: Api, whole: str, grouped: str) -> None:
    known = {str(m.name) for m in api.models}
    whole_classes, whole_other, _ = _classes(whole)
    grouped_classes, grouped_other, imported = _classes(grouped)
    assert known <= set(grouped_classes)
    assert _own_names_blanked(grouped_classes, known) == _own_names_blanked(whole_classes, known)
    assert sorted(grouped_other) == sorted(whole_other)
    assert not imported & set(grouped_classes), "an import and a class share a name"
    compile(grouped, "models.py", "exec")


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.parent.name + "/" + p.name)
def test_groups_write_what_one_run_writes(spec: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    api = _api(spec)
    whole, grouped = _both(api, monkeypatch, tmp_path)
    _assert_alike(api, whole, grouped)


@pytest.mark.parametrize("alone", [False, True], ids=["shared-runs", "a-run-per-group"])
def test_hostile_groups_write_what_one_run_writes(alone: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if alone:  # a class of the model generator's own may then take the name of a schema of another group
        monkeypatch.setattr(model_groups, "batches", lambda docs, count: [[i] for i in range(len(docs))])
    api = _api(_hostile(tmp_path))
    ordered, _ = groups({m.name: json.loads(m.schema) for m in api.models})
    assert len(ordered) > 5 and any(len(g) > 1 for g in ordered)  # a cycle, and groups to join
    whole, grouped = _both(api, monkeypatch, tmp_path)
    _assert_alike(api, whole, grouped)
    assert grouped == models.generate_models(api, spec_name="spec", title="Spec")  # from the cache, alike


def test_a_changed_schema_makes_only_its_group_again(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(models, "GROUP_FROM", 1)
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache"))
    models.generate_models(_api(_hostile(tmp_path)), spec_name="spec", title="Spec")
    entries = set((tmp_path / "cache" / "models").rglob("*"))
    seen: list[set[str]] = []
    real = models._run
    monkeypatch.setattr(models, "_run", lambda document, data: seen.append(
        set(document["components"]["schemas"])) or real(document, data))
    changed = HOSTILE.replace("        name: {type: string}\n", "        name: {type: string}\n        size: {type: integer}\n")
    api = _api(_hostile(tmp_path, changed))
    again = models.generate_models(api, spec_name="spec", title="Spec")
    assert seen == [{"Leaf"}]  # one run, over the changed schema's group alone
    added = set((tmp_path / "cache" / "models").rglob("*")) - entries
    assert len([p for p in added if p.is_file()]) == 1
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cold"))
    assert again == models.generate_models(api, spec_name="spec", title="Spec")  # as a cold run writes it
    assert "size: int | None = None" in _classes(again)[0]["Leaf"]


WORKERS = """\
import sys
from pathlib import Path
from generator import models
from generator.ir.build import build
from generator.load import load
from generator.resolve import resolve
path = Path(sys.argv[1])
api, _ = build(resolve(load(path, path.name)), strict=False)
models.generate_models(api, spec_name="big", title="Big")
"""


def _big(count: int) -> str:
    """`count` schemas in a chain: each its own group, so the run has many to share out."""
    lines = ["openapi: 3.1.0", "info: {title: Big, version: '1'}", "paths: {}", "components:", "  schemas:"]
    for i in range(count):
        lines += [f"    S{i}:", "      type: object", "      properties:", f"        a: {{type: string, description: field {i}}}",
                  "        b: {type: integer}", "        c: {type: array, items: {type: string}}"]
        if i + 1 < count:
            lines.append(f'        next: {{$ref: "#/components/schemas/S{i + 1}"}}')
    return "\n".join(lines) + "\n"


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2:].split()[0] != "Z"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if fields[0] != "Z" and int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2, reason="workers run on Linux, beside a second core")
def test_killed_parent_leaves_no_model_worker(tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_text(_big(900), encoding="utf-8")
    env = {**os.environ, "CAREFORGE_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(REPO)}
    run = subprocess.Popen([sys.executable, "-c", WORKERS, str(tmp_path / "big.yaml")], cwd=tmp_path, env=env)
    workers: list[int] = []
    deadline = time.monotonic() + 120
    while len(workers) < 2 and run.poll() is None and time.monotonic() < deadline:
        workers = _children(run.pid)
        time.sleep(0.02)
    assert len(workers) >= 2, "the run never started its workers"
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    limit = time.monotonic() + 1.0
    while any(_alive(pid) for pid in workers) and time.monotonic() < limit:
        time.sleep(0.02)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"{left} outlived the killed run"


def test_cache_is_per_group(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(models, "GROUP_FROM", 1)
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache"))
    api = _api(_hostile(tmp_path))
    models.generate_models(api, spec_name="spec", title="Spec")
    ordered, _ = groups({m.name: json.loads(m.schema) for m in api.models})
    assert len([p for p in (tmp_path / "cache" / "models").rglob("*") if p.is_file()]) == len(ordered)
