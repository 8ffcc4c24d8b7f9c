"""`careforge diff` and `careforge bump` as users run them: exit codes, formats, locations, bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.diff.changelog import add_entry, set_version
from generator.diff.verdict import Bump, enough, needed, next_version
from generator.diff.changes import Level
from generator.diff.run import Report

REPO = Path(__file__).resolve().parents[2]
ACME = REPO / "tests" / "publish" / "acme"


def careforge(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False, timeout=600)


def _acme(folder: Path, edit: tuple[str, str] | None = None) -> Path:
    shutil.copytree(ACME, folder)
    spec = folder / "openapi.yaml"
    if edit:
        text = spec.read_text(encoding="utf-8")
        assert edit[0] in text
        spec.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    return spec


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_json_names_both_files_and_the_bump(tmp_path: Path) -> None:
    old = _acme(tmp_path / "old")
    new = _acme(tmp_path / "new", ("          schema: {type: string}\n", "          schema: {type: string}\n"
                                   "        - name: open_now\n          in: query\n          required: true\n"
                                   "          schema: {type: boolean}\n"))
    done = careforge("diff", str(old), str(new), "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["bump"] == "major"
    (change,) = [c for c in report["changes"] if c["level"] != "docs"]
    assert change["rule"] == "new-required-request-parameter" and change["kind"] == "added"
    assert change["old"] == {"file": str(old), "line": _line_of(old, "parameters:"), "column": 7,
                             "pointer": "/paths/~1homes/get/parameters", "near": True}
    assert change["new"] == {"file": str(new), "line": _line_of(new, "name: open_now"), "column": 11,
                             "pointer": "/paths/~1homes/get/parameters/1", "near": False}
    python = {(p["path"], p["kind"]): p for p in report["python"]}
    added = python["acme_client.resources.homes.Homes.list", "parameter-added-required"]
    assert added["level"] == "breaking" and added["causes"] == [change["id"]], python
    assert added["message"] == "Parameter was added as required: open_now"
    assert report["version"] == {"old": "1.0.0", "new": "1.0.0", "suggested": "2.0.0"}


def test_fail_on_and_markdown(tmp_path: Path) -> None:
    old = _acme(tmp_path / "old")
    docs = _acme(tmp_path / "docs", ("summary: List care homes", "summary: List every care home"))
    removed = _acme(tmp_path / "removed", ("          schema: {type: string}\n      responses:",
                                           "          schema: {type: string, maxLength: 20}\n      responses:"))
    quiet = careforge("diff", str(old), str(docs), "--fail-on", "may-break", "--no-python")
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert "version: patch bump needed: 1.0.0 -> 1.0.1" in quiet.stdout
    loud = careforge("diff", str(old), str(removed), "--fail-on", "may-break", "--no-python", "--format", "markdown")
    assert loud.returncode == 1, loud.stdout + loud.stderr
    assert "--fail-on may-break" in loud.stderr
    assert loud.stdout.startswith("## 1.1.0\n") and "### May break callers" in loud.stdout
    assert "query parameter region: maxLength none -> 20" in loud.stdout


def test_same_spec_has_no_changes(tmp_path: Path) -> None:
    old = _acme(tmp_path / "old")
    done = careforge("diff", str(old), str(old), "--format", "json", "--fail-on", "docs")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["bump"] == "none" and report["changes"] == [] and report["python"] == []


def test_a_change_in_a_referenced_file_is_located_there(tmp_path: Path) -> None:
    def project(folder: Path, name_type: str) -> Path:
        folder.mkdir()
        spec = _acme_text().replace("schema: {$ref: \"#/components/schemas/Home\"}",
                                    "schema: {$ref: \"home.yaml\"}")
        (folder / "openapi.yaml").write_text(spec, encoding="utf-8")
        (folder / "home.yaml").write_text(f"type: object\nrequired: [id]\nproperties:\n  id: {{type: integer}}\n"
                                          f"  name: {{type: {name_type}}}\n", encoding="utf-8")
        return folder / "openapi.yaml"

    old, new = project(tmp_path / "a", "string"), project(tmp_path / "b", "integer")
    done = careforge("diff", str(old), str(new), "--format", "json", "--no-python")
    changes = [c for c in json.loads(done.stdout)["changes"] if c["rule"].endswith("type-changed")]
    assert changes and changes[0]["new"]["file"] == str(tmp_path / "b" / "home.yaml"), done.stdout
    assert changes[0]["new"]["line"] == 5 and changes[0]["new"]["pointer"] == "/properties/name/type"
    assert changes[0]["old"]["file"] == str(tmp_path / "a" / "home.yaml")


def _acme_text() -> str:
    return (ACME / "openapi.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "said"), [
    (("diff", "missing.yaml", "other.yaml"), "missing.yaml: no such spec file"),
    (("diff", "one.yaml"), "name two spec files"),
    (("diff", "--since", "no-such-ref", "caqh"), "--since no-such-ref: no such commit, branch or tag"),
    (("diff", "--since", "HEAD", "nobody"), "no vendor 'nobody'"),
    (("diff", "--since", "--upload-pack=x"), "is not a git revision"),
])
def test_bad_input_is_one_clear_line(args: tuple[str, ...], said: str) -> None:
    done = careforge(*args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert said in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_a_broken_spec_is_named_with_its_line(tmp_path: Path) -> None:
    old = _acme(tmp_path / "old")
    new = _acme(tmp_path / "new", ("  /homes:\n", "  /homes:\n   bad: [\n"))
    done = careforge("diff", str(old), str(new))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"{new}:" in done.stderr and "nothing was written" not in done.stdout


def test_since_outside_a_repository(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    shutil.copytree(ACME, tmp_path / "specs" / "acme")
    done = careforge("diff", "--since", "HEAD", "--root", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 2 and "needs a git repository" in done.stderr, done.stderr


def test_bump_refuses_a_version_too_low_and_writes_nothing(tmp_path: Path) -> None:
    shutil.copytree(ACME, tmp_path / "specs" / "acme")
    assert subprocess.run("git init -q . && git add -A && git -c user.name=t -c user.email=t@example.org "
                          "commit -qm one", shell=True, cwd=tmp_path, check=False).returncode == 0
    spec = tmp_path / "specs" / "acme" / "openapi.yaml"
    spec.write_text(spec.read_text().replace("required: [id, name]", "required: [id]"), encoding="utf-8")
    rules_before = (tmp_path / "specs" / "acme" / "rules.toml").read_text()
    low = careforge("bump", "acme", "--to", "1.0.1", "--root", str(tmp_path), cwd=tmp_path)
    # Home is only returned: a field that may now be missing may break callers (minor), it removes nothing.
    assert low.returncode == 2 and "version 1.0.1 is too low" in low.stderr, low.stderr
    assert "need a minor bump (1.0.0 -> 1.1.0 at least)" in low.stderr, low.stderr
    assert (tmp_path / "specs" / "acme" / "rules.toml").read_text() == rules_before
    assert not (tmp_path / "specs" / "acme" / "CHANGELOG.md").exists()
    done = careforge("bump", "acme", "--root", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 0 and "acme: 1.0.0 -> 1.1.0" in done.stdout, done.stdout + done.stderr
    assert 'version = "1.1.0"' in (tmp_path / "specs" / "acme" / "rules.toml").read_text()
    assert "Home.name: may now be missing" in (tmp_path / "specs" / "acme" / "CHANGELOG.md").read_text()


def test_set_version_edits_one_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('# ours\n[package]\nname = "x"  # kept\nversion = "1.0"\n\n[methods]\nversion = "keep"\n')
    set_version(rules, "2.0.0")
    assert rules.read_text() == '# ours\n[package]\nname = "x"  # kept\nversion = "2.0.0"\n\n[methods]\nversion = "keep"\n'
    bare = tmp_path / "bare.toml"
    bare.write_text('[ignore]\nx = "y"\n')
    set_version(bare, "1.1.0")
    assert bare.read_text() == '[package]\nversion = "1.1.0"\n\n[ignore]\nx = "y"\n'


def test_changelog_puts_the_newest_first(tmp_path: Path) -> None:
    log = tmp_path / "CHANGELOG.md"
    add_entry(log, "## 1.1.0\n\n- one\n", title="Changes")
    add_entry(log, "## 2.0.0\n\n- two\n", title="Changes")
    assert log.read_text() == "# Changes\n\n## 2.0.0\n\n- two\n\n## 1.1.0\n\n- one\n"


@pytest.mark.parametrize(("levels", "version", "bump", "suggested"), [
    ([Level.BREAKING, Level.DOCS], "2.1", Bump.MAJOR, "3.0.0"),
    ([Level.MAY_BREAK], "2.1", Bump.MINOR, "2.2.0"),
    ([Level.COMPATIBLE], "1", Bump.MINOR, "1.1.0"),
    ([Level.DOCS], "1.2.3", Bump.PATCH, "1.2.4"),
    ([], "1.2.3", Bump.NONE, "1.2.3"),
    ([Level.BREAKING], "0.5", Bump.MINOR, "0.6.0"),  # 0.x: breaking moves the minor number
    ([Level.COMPATIBLE], "0.5", Bump.PATCH, "0.5.1"),
    ([Level.DOCS], "0.5", Bump.PATCH, "0.5.1"),
])
def test_verdict(levels: list[Level], version: str, bump: Bump, suggested: str) -> None:
    assert needed(levels, version) is bump
    assert next_version(version, bump) == suggested
    assert enough(version, suggested, bump)


def test_enough_is_strict_about_lower_versions() -> None:
    assert not enough("2.1", "2.9.9", Bump.MAJOR)
    assert enough("2.1", "4.0", Bump.MAJOR)
    assert not enough("1.0.0", "1.0.0", Bump.PATCH)


def _report(old: Path, new: Path) -> Report:
    from generator.diff.run import diff
    from generator.pipeline import Target

    def target(spec: Path) -> Target:
        rules = spec.parent / "rules.toml"
        return Target(spec=spec, out=spec.parent / "out", rules=rules if rules.is_file() else None)

    return diff(target(old), target(new))


def test_a_tag_rename_is_a_python_rename_linked_to_its_cause(tmp_path: Path) -> None:
    old = _acme(tmp_path / "old")
    new = _acme(tmp_path / "new")
    text = new.read_text().replace("tags: [homes]", "tags: [care_homes]").replace("- name: homes\n",
                                                                                  "- name: care_homes\n")
    new.write_text(text.replace("operationId: homes_", "operationId: care_homes_"))
    report = _report(old, new)
    moved = {c.id for c in report.changes if c.rule == "operation-resource-changed"}
    assert len(moved) == 2, report.changes
    renamed = {p.path: p for p in report.python if p.kind == "object-renamed"}
    assert set(renamed) == {"acme_client._client.Acme.homes", "acme_client._client.AsyncAcme.homes",
                            "acme_client.resources.homes"}, report.python
    assert renamed["acme_client._client.Acme.homes"].message == "renamed acme_client._client.Acme.care_homes"
    assert all(set(p.causes) == moved for p in renamed.values())
    assert report.bump is Bump.MAJOR


def test_a_rules_rename_breaks_python_without_a_spec_change(tmp_path: Path) -> None:
    old = _acme(tmp_path / "old")
    new = _acme(tmp_path / "new")
    (new.parent / "rules.toml").write_text((new.parent / "rules.toml").read_text() +
                                           '\n[methods]\nhomes_list = "search"\n')
    report = _report(old, new)
    assert report.changes == []
    kinds = {(p.path, p.kind): p for p in report.python}
    renamed = kinds["acme_client.resources.homes.Homes.list", "object-renamed"]
    assert renamed.causes == ("rules.toml",) and renamed.message.endswith("Homes.search")
    assert report.bump is Bump.MAJOR


def test_renamed_schema_renames_the_model(tmp_path: Path) -> None:
    old = _acme(tmp_path / "old")
    new = _acme(tmp_path / "new")
    new.write_text(new.read_text().replace("schemas/Home", "schemas/CareHome").replace("    Home:\n",
                                                                                       "    CareHome:\n"))
    report = _report(old, new)
    (renamed,) = [c for c in report.changes if c.rule == "schema-renamed"]
    assert renamed.old and renamed.old.pointer == "/components/schemas/Home"
    assert renamed.new and renamed.new.pointer == "/components/schemas/CareHome"
    python = {p.path: p for p in report.python if p.kind == "object-renamed"}
    assert python["acme_client.models.Home"].causes == (renamed.id,), report.python


def test_since_in_a_project_below_the_repository_top(tmp_path: Path) -> None:
    project = tmp_path / "services" / "care"
    shutil.copytree(ACME, project / "specs" / "acme")
    assert subprocess.run("git init -q . && git add -A && git -c user.name=t -c user.email=t@example.org "
                          "commit -qm one", shell=True, cwd=tmp_path, check=False).returncode == 0
    spec = project / "specs" / "acme" / "openapi.yaml"
    spec.write_text(spec.read_text().replace("summary: List care homes", "summary: All care homes"))
    done = careforge("diff", "--since", "HEAD", "--root", str(project), "--no-python", "--format", "json",
                     cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (change,) = json.loads(done.stdout)["changes"]
    assert change["rule"] == "operation-summary-changed" and change["old"]["file"] == "HEAD:specs/acme/openapi.yaml"


def test_formats_said_to_change_the_python_type_do_so(tmp_path: Path) -> None:
    """The formats the diff says a response model reads into another Python type, against a generated
    package: each one, and no other common format, gives a field typed other than str."""
    from generator.diff.schema_diff import PYTHON_TYPED

    formats = ["date-time", "date", "time", "duration", "uuid", "binary", "byte", "ipv4", "ipv6", "uri", "email",
               "hostname", "uri-reference", "password"]
    props = {f"f{i}": {"type": "string", "format": f} for i, f in enumerate(formats)}
    spec = {"openapi": "3.0.3", "info": {"title": "F", "version": "1.0.0"},
            "paths": {"/x": {"get": {"operationId": "x_get", "tags": ["x"], "responses": {"200": {
                "description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/M"}}}}}}}},
            "components": {"schemas": {"M": {"type": "object", "properties": props}}}}
    (tmp_path / "s.json").write_text(json.dumps(spec))
    done = careforge("generate", "s.json", "--out", "out", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    models = next((tmp_path / "out").glob("*/models.py")).read_text()
    typed = {f for i, f in enumerate(formats) if f"    f{i}: str | None" not in models}
    assert typed == set(PYTHON_TYPED), models


def _spec_changes(tmp_path: Path, old: dict[str, object], new: dict[str, object]) -> list[tuple[str, str]]:
    from generator.diff.spec_diff import compare
    from generator.load import load
    from generator.resolve import resolve

    files = []
    for name, data in (("old", old), ("new", new)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(data))
        files.append(path)
    found = compare(resolve(load(files[0], "old")), resolve(load(files[1], "new")))
    return [(c.level.label, c.rule) for c in found if c.level is not Level.DOCS]


def _one_op(schema: object, *, tag: str = "pets", responses: dict[str, object] | None = None) -> dict[str, object]:
    body = {"content": {"application/json": {"schema": schema}}}
    return {"openapi": "3.1.0", "info": {"title": "T", "version": "1.0.0"}, "paths": {"/pets": {"post": {
        "operationId": "pets_create", "tags": [tag], "requestBody": body,
        "responses": responses or {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}}}}}


def test_equivalent_specs_have_no_changes(tmp_path: Path) -> None:
    members = [{"type": "string"}, {"type": "integer"}]
    assert _spec_changes(tmp_path, _one_op({"oneOf": members}), _one_op({"oneOf": members[::-1]})) == []
    anything = {"type": "object", "properties": {"x": {}}}
    also = {"type": "object", "properties": {"x": True}}
    assert _spec_changes(tmp_path, _one_op(anything), _one_op(also)) == []
    # `Pets` and `pets` are both client.pets.
    assert _spec_changes(tmp_path, _one_op({"type": "string"}, tag="Pets"), _one_op({"type": "string"})) == []


def test_a_read_only_field_made_writable_and_required_is_breaking(tmp_path: Path) -> None:
    def pet(read_only: bool) -> dict[str, object]:
        return {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "readOnly": read_only}}}

    found = _spec_changes(tmp_path, _one_op(pet(True)), _one_op(pet(False)))
    assert ("breaking", "request-property-no-longer-read-only") in found, found


def test_a_default_response_the_method_returns_is_a_success_response(tmp_path: Path) -> None:
    schema = {"type": "string"}
    old = _one_op(schema, responses={"default": {"description": "the pet", "content": {
        "application/json": {"schema": schema}}}})
    new = _one_op(schema, responses={"204": {"description": "nothing"}})
    found = _spec_changes(tmp_path, old, new)
    assert ("breaking", "response-success-status-removed") in found, found


def test_an_open_map_that_gains_a_value_type_is_compared_as_a_schema(tmp_path: Path) -> None:
    old = _one_op({"type": "object", "additionalProperties": True})
    new = _one_op({"type": "object", "additionalProperties": {"type": "integer"}})
    found = _spec_changes(tmp_path, old, new)
    assert ("breaking", "request-type-changed") in found, found


@pytest.mark.parametrize("text", ["", "hello: world\n", "swagger: '2.0'\ninfo: {title: a, version: '1'}\npaths: {}\n"])
def test_a_file_that_is_not_openapi_3_is_exit_2(tmp_path: Path, text: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    done = careforge("diff", "--no-python", str(ACME / "openapi.yaml"), str(bad))
    assert done.returncode == 2 and "internal error" not in done.stderr and f"{bad}:1:1" in done.stderr, done.stderr


def test_bump_keeps_comments_refuses_going_down_and_replaces_its_own_entry(tmp_path: Path) -> None:
    shutil.copytree(ACME, tmp_path / "specs" / "acme")
    rules = tmp_path / "specs" / "acme" / "rules.toml"
    rules.write_text(rules.read_text().replace("[package]", "[package]  # the distribution").replace(
        'version = "1.0.0"', 'version = "1.0.0"  # set by careforge bump'))
    assert subprocess.run("git init -q . && git add -A && git -c user.name=t -c user.email=t@example.org "
                          "commit -qm one", shell=True, cwd=tmp_path, check=False).returncode == 0
    down = careforge("bump", "acme", "--to", "0.9", "--root", str(tmp_path), cwd=tmp_path)
    assert down.returncode == 2 and "is not above the current 1.0.0" in down.stderr, down.stderr
    silly = careforge("bump", "acme", "--to", "banana", "--root", str(tmp_path), cwd=tmp_path)
    assert silly.returncode == 2 and "not a Python package version" in silly.stderr, silly.stderr
    spec = tmp_path / "specs" / "acme" / "openapi.yaml"
    spec.write_text(spec.read_text().replace("summary: List care homes", "summary: All care homes"))
    for _ in range(2):
        done = careforge("bump", "acme", "--to", "1.0.1", "--root", str(tmp_path), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    text = rules.read_text()
    assert "[package]  # the distribution" in text and 'version = "1.0.1"  # set by careforge bump' in text, text
    assert text.count("[package]") == 1
    assert (tmp_path / "specs" / "acme" / "CHANGELOG.md").read_text().count("## 1.0.1") == 1


def test_since_skips_a_vendor_added_since_unless_named(tmp_path: Path) -> None:
    shutil.copytree(ACME, tmp_path / "specs" / "acme")
    assert subprocess.run("git init -q . && git add -A && git -c user.name=t -c user.email=t@example.org "
                          "commit -qm one", shell=True, cwd=tmp_path, check=False).returncode == 0
    shutil.copytree(ACME, tmp_path / "specs" / "beta")
    done = careforge("diff", "--since", "HEAD", "--root", str(tmp_path), "--no-python", cwd=tmp_path)
    assert done.returncode == 0 and "specs/beta is new since HEAD" in done.stderr, done.stderr
    named = careforge("diff", "--since", "HEAD", "beta", "--root", str(tmp_path), "--no-python", cwd=tmp_path)
    assert named.returncode == 2 and "specs/beta did not exist at HEAD" in named.stderr, named.stderr
    empty = careforge("diff", "--since", "HEAD", "--root", str(tmp_path / "specs"), cwd=tmp_path)
    assert empty.returncode == 2 and "no specs/<vendor>/openapi.yaml under" in empty.stderr, empty.stderr


def test_the_30_and_31_ways_of_saying_x_or_null_are_one(tmp_path: Path) -> None:
    owner = {"type": "object", "properties": {"name": {"type": "string"}}}

    def spec(version: str, prop: dict[str, object]) -> dict[str, object]:
        data = _one_op({"type": "object", "properties": {"owner": prop}})
        data["openapi"] = version
        data["components"] = {"schemas": {"Owner": owner}}
        return data

    old = spec("3.0.3", {"nullable": True, "allOf": [{"$ref": "#/components/schemas/Owner"}]})
    new = spec("3.1.0", {"anyOf": [{"$ref": "#/components/schemas/Owner"}, {"type": "null"}]})
    assert _spec_changes(tmp_path, old, new) == []
    no_null = spec("3.1.0", {"anyOf": [{"$ref": "#/components/schemas/Owner"}]})
    assert ("breaking", "request-nullable-removed") in _spec_changes(tmp_path, new, no_null)


def test_30_and_31_exclusive_bounds_are_one_bound(tmp_path: Path) -> None:
    old = _one_op({"type": "integer", "maximum": 10, "exclusiveMaximum": True})
    old["openapi"] = "3.0.3"
    new = _one_op({"type": "integer", "exclusiveMaximum": 10})
    assert _spec_changes(tmp_path, old, new) == []
    tighter = _one_op({"type": "integer", "exclusiveMaximum": 9})
    assert ("may-break", "request-exclusive-maximum-tightened") in _spec_changes(tmp_path, new, tighter)
