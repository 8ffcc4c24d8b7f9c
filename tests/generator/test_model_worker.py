"""The model generator made ready in a child beside the build (generator/model_worker.py).

What the child writes must be what datamodel-code-generator writes in a fresh process of its own, the
judge here; a child is started only when the schemas' models were never made; a child that cannot
answer leaves the run to this process; a child that is not needed is gone when the run ends.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import process_group

from generator import model_worker
from generator.background import worth_it
from generator.ir.build import build
from generator.load import load
from generator.model_template_data import template_data
from generator.models import _document, _escape_docs
from generator.resolve import ResolvedSpec, resolve

ROOT = Path(__file__).resolve().parents[2]
SPEC = """\
openapi: 3.1.0
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      operationId: list_pets
      summary: List pets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet: {type: object, properties: {name: {type: string}}}
"""


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache"))


def _spec(folder: Path, text: str) -> ResolvedSpec:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "openapi.yaml").write_text(text, encoding="utf-8")
    return resolve(load(folder / "openapi.yaml", "openapi.yaml"))


def _job(spec: ResolvedSpec) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    api, _ = build(spec, strict=False)
    schemas: dict[str, Any] = {m.name: _escape_docs(json.loads(m.schema)) for m in api.models}
    return _document(api, schemas), template_data(api.models)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"


@pytest.mark.skipif(not worth_it(), reason="the worker needs fork and a second core")
def test_the_worker_writes_what_the_model_generator_writes_alone(tmp_path: Path) -> None:
    document, data = _job(resolve(load(ROOT / "specs" / "caqh" / "openapi.yaml", "openapi.yaml")))
    worker = model_worker.Worker()
    try:
        beside = worker.run(document, data)
    finally:
        worker.stop()
    job = tmp_path / "job.json"
    job.write_text(json.dumps([document, data]), encoding="utf-8")
    alone = subprocess.run(
        [sys.executable, "-c", "import json, sys; from generator.models import _run; "
         "sys.stdout.write(_run(*json.load(open(sys.argv[1], encoding='utf-8'))))", str(job)],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert beside is not None and "class " in beside
    assert beside == alone


@pytest.mark.skipif(not worth_it(), reason="the worker needs fork and a second core")
def test_a_worker_starts_only_for_schemas_whose_models_were_never_made(tmp_path: Path) -> None:
    def started(text: str) -> bool:
        worker = model_worker.start(_spec(tmp_path / "spec", text), most=300)
        if worker is None:
            return False
        worker.stop()
        return True

    assert started(SPEC)
    model_worker.made(_spec(tmp_path / "spec", SPEC))
    assert not started(SPEC)
    assert not started(SPEC.replace("summary: List pets", "summary: List the pets"))  # no schema changed
    other = model_worker.start(_spec(tmp_path / "other", SPEC), most=300)  # another spec file: its own guess
    assert other is not None
    other.stop()
    assert started(SPEC.replace("name: {type: string}", "name: {type: string}, age: {type: integer}"))
    assert not model_worker.start(_spec(tmp_path / "big", SPEC), most=1)  # one schema is already too many


@pytest.mark.skipif(not worth_it(), reason="the worker needs fork and a second core")
def test_a_job_the_model_generator_refuses_is_left_to_this_process(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.models

    def refuses(document: dict[str, Any], data: dict[str, dict[str, Any]]) -> str:
        raise generator.models.ModelGenerationError("datamodel-code-generator failed: it says why")

    monkeypatch.setattr(generator.models, "_run", refuses)  # in the child too: it is forked from here
    worker = model_worker.Worker()
    pid = worker._child._process.pid
    assert pid is not None
    assert worker.run({"components": {}}, {}) is None
    worker.stop()
    assert not _alive(pid)
    api, _ = build(_spec(tmp_path / "spec", SPEC), strict=False)
    worker = model_worker.Worker()
    with pytest.raises(generator.models.ModelGenerationError, match="it says why"):  # said by this process
        generator.models.generate_models(api, spec_name="openapi.yaml", title="Pets", engine=worker)
    worker.stop()


@pytest.mark.skipif(not worth_it(), reason="the worker needs fork and a second core")
def test_a_worker_not_needed_is_gone_when_stopped() -> None:
    worker = model_worker.Worker()
    pid = worker._child._process.pid
    assert pid is not None and _alive(pid)
    worker.stop()
    assert not _alive(pid)
    assert worker.run({}, {}) is None  # stopped: nothing is sent to it any more


# The run as a user starts it, with the model generator slow on the real job (not on the warm-up): it
# says when it started, so the interrupt comes while the child runs the job and this process waits.
SLOW_RUN = """\
import sys, time
from pathlib import Path
import generator.models as models
made, started = models._run, Path(sys.argv[1])
def slow(document, data):
    if "Slow" in document.get("components", {}).get("schemas", {}):
        started.write_text("started")
        time.sleep(20)
    return made(document, data)
models._run = slow
from generator.cli import main
sys.argv = ["careforge", "generate", "openapi.yaml", "--out", "out"]
main()
"""


@pytest.mark.skipif(not worth_it(), reason="the worker needs fork and a second core")
def test_ctrl_c_while_the_worker_makes_the_models_ends_the_run_at_once(tmp_path: Path) -> None:
    (tmp_path / "openapi.yaml").write_text(SPEC.replace("Pet", "Slow"), encoding="utf-8")
    started = tmp_path / "started"
    env = {**os.environ, "CAREFORGE_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    run = subprocess.Popen([sys.executable, "-c", SLOW_RUN, str(started)], cwd=tmp_path, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not started.exists() and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert started.exists(), run.communicate()[1]
        run.send_signal(signal.SIGINT)
        sent = time.monotonic()
        _, stderr = run.communicate(timeout=60)
        waited = time.monotonic() - sent
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert run.returncode == 130, stderr
    assert waited < 2, f"the run went on for {waited:.1f} s after Ctrl-C, waiting for the model generator"
    time.sleep(1)
    assert not process_group(run.pid), "a process outlived the run"
    assert not (tmp_path / "out").exists()


