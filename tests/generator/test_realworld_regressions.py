"""Bugs found by running the generator over real public specs (tests/realworld/), each as a small spec.

Every spec under specs/realworld/ says in its header what real specs do and what went wrong.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import HERE, generate, imported, invoke, run_mypy, run_package_tests

SPECS = HERE / "specs" / "realworld"


def _generate(name: str, tmp_path: Path) -> tuple[Path, str]:
    out = tmp_path / "out"
    run = generate(str(SPECS / name), out, cwd=tmp_path, extra=("--verbose",))  # every warning, none folded
    return out, run.stderr


def _module(out: Path) -> str:
    [init] = [p for p in out.glob("*/__init__.py") if p.parent.name != "tests"]
    return init.parent.name


def _assert_types_and_import(out: Path, cache: Path) -> None:
    module = _module(out)
    checked = run_mypy(out, module, cache)
    assert checked.returncode == 0, checked.stdout
    probe = (f"import pydantic, {module}.models as m\n"
             "for v in list(vars(m).values()):\n"
             "    if isinstance(v, type) and issubclass(v, pydantic.BaseModel) and v.__module__ == m.__name__:\n"
             "        v.model_rebuild(raise_errors=True)\n")
    done = subprocess.run([sys.executable, "-W", "error", "-c", probe], cwd=out, capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr


def test_path_arguments_come_first_whatever_the_spec_order(tmp_path: Path, mypy_cache: Path) -> None:
    out, _ = _generate("path-parameter-after-query.yaml", tmp_path)
    test_source = (out / "tests" / "test_items.py").read_text(encoding="utf-8")
    assert 'client.items.part("i1", 7, verbose=True, legacy="old")' in test_source
    assert 'client.items.part("i1", 7, verbose=True, legacy="old")' in (out / "README.md").read_text(encoding="utf-8")
    tests = run_package_tests(out)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    _assert_types_and_import(out, mypy_cache)


def test_enum_defaults_are_members_and_defaults_that_do_not_fit_are_left_out(tmp_path: Path,
                                                                              mypy_cache: Path) -> None:
    out, warnings = _generate("defaults.yaml", tmp_path)
    source = (out / "defaults_client" / "models.py").read_text(encoding="utf-8")
    assert "format: JobFormat | None = JobFormat.PNG" in source
    assert "level: JobLevel | None = JobLevel." in source
    for kept in ('tags: list[str] = ["a", "b"]', "ratio: float = 1"):
        assert kept in source
    for field in ("margin: str", "name: str", "note: str", "flag: bool", "trainer: Trainer", "stops: list[Stop]",
                  "color: JobColor", "when: datetime"):
        assert f"{field} | None = None\n" in source, field
    # Each default that breaks its schema is named, with where it is; the spec still generates.
    for prop, line in (("margin", 37), ("note", 39), ("flag", 40), ("when", 50)):
        assert (f"defaults.yaml:{line}:" in warnings and
                f"warning[L-DEFAULT-INVALID]" in warnings and
                f"(#/components/schemas/Job/properties/{prop}/default)" in warnings), warnings
    _assert_types_and_import(out, mypy_cache)
    with imported(out, "defaults_client") as package:
        assert package.models.Job().format == "png"


def test_a_default_that_does_not_fit_is_an_error_for_our_own_specs(tmp_path: Path) -> None:
    run = invoke("validate", str(SPECS / "defaults.yaml"), "--strict", cwd=tmp_path)
    assert run.code == 2
    # margin, note, flag; and `when`, whose "now" is no date-time (formats the clients parse are checked)
    assert run.stderr.count("error[L-DEFAULT-INVALID]") == 4, run.stderr


def test_resource_classes_do_not_shadow_what_their_modules_import(tmp_path: Path, mypy_cache: Path) -> None:
    out, _ = _generate("resource-named-like-import.yaml", tmp_path)
    source = (out / "shadows_client" / "resources" / "query.py").read_text(encoding="utf-8")
    assert "from .._types import" in source and "Query" in source
    assert "class Query(" not in source
    _assert_types_and_import(out, mypy_cache)
    with imported(out, "shadows_client") as package:
        client = package.Shadows(base_url="https://shadows.example.test")
        assert type(client.query).__name__ != "Query"


def test_allof_parts_with_equal_inline_enums_pass_mypy(tmp_path: Path, mypy_cache: Path) -> None:
    out, _ = _generate("shared-inline-enum.yaml", tmp_path)
    source = (out / "accounts_client" / "models.py").read_text(encoding="utf-8")
    assert "class UserDetails(UserPublic, UserDetailsPart2):  # type: ignore[misc, unused-ignore]" in source
    _assert_types_and_import(out, mypy_cache)


def test_a_title_starting_with_a_digit_gives_an_importable_module(tmp_path: Path) -> None:
    out, _ = _generate("title-starts-with-digit.yaml", tmp_path)
    with imported(out, "api_1_forge_finance_client") as package:
        assert package.Api1ForgeFinance.__name__ == "Api1ForgeFinance"


def test_a_problem_inside_a_schema_is_reported_where_it_is(tmp_path: Path) -> None:
    run = invoke("validate", str(SPECS / "invalid-pattern-type.yaml"), cwd=tmp_path)
    assert run.code == 2
    lines = [line for line in run.stderr.splitlines() if "error[" in line]
    assert len(lines) == 1, run.stderr
    assert lines[0].endswith("(#/components/schemas/Thumbnail/properties/timecode/pattern)")
    assert ":11:34: error[E-OPENAPI]: 0 is not of type 'string'" in lines[0]


def test_the_model_cache_key_covers_the_model_generator_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import models
    from generator.ir.build import build
    from generator.load import load
    from generator.resolve import resolve

    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache"))
    api, _ = build(resolve(load(SPECS / "defaults.yaml", "defaults.yaml")), strict=False)
    first = models.generate_models(api, spec_name="defaults.yaml", title="Defaults")
    monkeypatch.setitem(models._OPTIONS, "set_default_enum_member", False)
    second = models.generate_models(api, spec_name="defaults.yaml", title="Defaults")
    assert "= JobFormat.PNG" in first
    assert "= JobFormat.PNG" not in second and "= 'png'" in second  # not served from the cache
    assert json.loads(models._settings())[-1]["set_default_enum_member"] is False


def test_fields_redefined_with_another_type_are_marked_for_mypy(tmp_path: Path, mypy_cache: Path) -> None:
    out, _ = _generate("overrides.yaml", tmp_path)
    source = (out / "overrides_client" / "models.py").read_text(encoding="utf-8")
    assert 'kind: Literal["renamed"]  # type: ignore[assignment, unused-ignore]' in source
    assert "kind: EventsCreateBodyKind  # type: ignore[assignment, unused-ignore]" in source
    assert "class File(FileMini, FileConflict):  # type: ignore[misc, unused-ignore]" in source
    assert "class Event(BaseModel):\n" in source  # nothing redefined: nothing marked
    _assert_types_and_import(out, mypy_cache)
    tests = run_package_tests(out)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    with imported(out, "overrides_client") as package:
        parsed = package.models.EventsGetResponse.model_validate({"event": {"kind": "renamed", "id": "e1"}})
        assert type(parsed.event.root).__name__ == "Renamed"


def test_the_reserved_resource_class_names_cover_every_class_the_templates_import() -> None:
    import re

    from generator.names import RESERVED_RESOURCE_CLASSES

    imported_names: set[str] = set()
    for template in ("resource.py.j2", "_client.py.j2"):
        text = (HERE.parents[1] / "templates" / "package" / template).read_text(encoding="utf-8")
        for names in re.findall(r"^from [.\w]+ import ([^{}\n]+)$", text, re.MULTILINE):
            imported_names.update(n.strip() for n in names.split(","))
    classes = {n for n in imported_names if n[:1].isupper() and not n.isupper()}
    assert classes and classes <= RESERVED_RESOURCE_CLASSES, classes - RESERVED_RESOURCE_CLASSES


def test_ecma_unicode_property_patterns_are_valid_and_checked(tmp_path: Path) -> None:
    out, _ = _generate("ecma-unicode-patterns.yaml", tmp_path)
    tests = run_package_tests(out)
    assert tests.returncode == 0, tests.stdout
    # The pattern is really applied: an example that breaks it is reported, located.
    broken = (SPECS / "ecma-unicode-patterns.yaml").read_text(encoding="utf-8").replace("{name: Zoe}", "{name: zoe}")
    (tmp_path / "broken.yaml").write_text(broken, encoding="utf-8")
    run = invoke("validate", str(tmp_path / "broken.yaml"), cwd=tmp_path)
    assert "'zoe' does not match" in run.stderr, run.stderr
    assert "internal error" not in run.stderr


def test_a_pattern_no_regex_dialect_reads_is_still_refused(tmp_path: Path) -> None:
    spec = (SPECS / "ecma-unicode-patterns.yaml").read_text(encoding="utf-8").replace("'^\\p{Lu}\\p{Ll}*$'", "'['")
    (tmp_path / "bad.yaml").write_text(spec, encoding="utf-8")
    run = invoke("validate", str(tmp_path / "bad.yaml"), cwd=tmp_path)
    assert run.code == 2 and "is not a 'regex'" in run.stderr, run.stderr


def test_tests_use_values_that_fit_their_schemas_and_skip_with_the_reason_when_none_does(tmp_path: Path) -> None:
    out, _ = _generate("examples-that-contradict.yaml", tmp_path)
    tests = run_package_tests(out, "-rs")
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "16 passed, 4 skipped" in tests.stdout
    # Only the schemas no value fits are skipped, and the skip says why.
    assert tests.stdout.count("response 200: the spec's schema admits no value (at '/': additionalProperties is "
                              "false") == 2
    assert tests.stdout.count("response 200: the spec's schema admits no value (at '/': its oneOf members") == 2
    source = "\n".join(p.read_text(encoding="utf-8") for p in (out / "tests").glob("test_*.py"))
    assert 'get_provider("AA-000", score=1.0)' in source  # the pattern, the exclusive minimum, multipleOf
    assert '{"name": "string", "version": "v0"}' in source  # not the spec's example, which lacks `version`
    assert 'create_provider(type="string", id="string")' in source
    assert 'start_recording(conference_name="string")' in source  # required, though `properties` omits it
    assert 'upload_logo(logo=b"example")' in source  # a required body sends a field, though none is required
    assert '{"description": "string", "point": 100}' in source
    assert '{"total": 1, "items": ["string"]}' in source  # not `"items": "string"`
    assert 'ConfigurePortalBodyBusinessProfile.model_validate(\n            {"headline": "string"}' in source


def test_enums_of_numbers_hold_numbers(tmp_path: Path, mypy_cache: Path) -> None:
    out, _ = _generate("number-enums.yaml", tmp_path)
    probe = ("from num_enum_client import models\n"
             "v = models.V.model_validate({'version': 2, 'ratio': 1.5, 'plain': 'c'})\n"
             "assert v.version == 2 and v.ratio == 1.5 and v.plain == 'c', v\n"
             "assert models.V.model_validate({'version': 2.0, 'ratio': 0.5}).version == 2\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=out, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    tests = run_package_tests(out)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    _assert_types_and_import(out, mypy_cache)


def test_form_bodies_whose_schema_names_no_field_take_the_fields_by_name(tmp_path: Path, mypy_cache: Path) -> None:
    out, warnings = _generate("form-bodies-without-fields.yaml", tmp_path)
    assert warnings.count("warning[L-FORM-NOT-OBJECT]") == 2
    assert "form-bodies-without-fields.yaml:21:13: warning[L-FORM-NOT-OBJECT]" in warnings
    probe = (
        "import httpx\n"
        "from form_bodies_without_fields_client import FormBodiesWithoutFields\n"
        "seen = []\n"
        "def answer(request):\n"
        "    seen.append(request)\n"
        "    return httpx.Response(204)\n"
        "client = FormBodiesWithoutFields(http_client=httpx.Client(transport=httpx.MockTransport(answer)))\n"
        "client.attachments.upload_attachment(body={'file': b'%PDF'})\n"
        "client.attachments.suggest(body={'q': 'es'})\n"
        "upload, suggest = seen\n"
        "assert upload.headers['content-type'].startswith('multipart/form-data; boundary=')\n"
        "assert b'name=\"file\"' in upload.content and b'%PDF' in upload.content, upload.content\n"
        "assert suggest.content == b'q=es', suggest.content\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=out, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    tests = run_package_tests(out, "-rs")
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "2 passed, 2 skipped" in tests.stdout
    assert "request body: the multipart/form-data body's schema is not an object" in tests.stdout
    _assert_types_and_import(out, mypy_cache)


def test_percent_encoded_references_and_untagged_discriminated_members(tmp_path: Path) -> None:
    out, _ = _generate("escaped-refs.yaml", tmp_path)
    tests = run_package_tests(out, "-rs")
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "4 passed" in tests.stdout and "skipped" not in tests.stdout
    source = (out / "tests" / "test_companies.py").read_text(encoding="utf-8")
    assert '{"last_name": "string", "encoding": "vcard"}' in source  # the tag the mapping gives VCard


def test_optional_discriminator_tags_parse_when_absent_and_are_sent_when_left_out(tmp_path: Path,
                                                                                    mypy_cache: Path) -> None:
    out, _ = _generate("optional-discriminator-tags.yaml", tmp_path)
    probe = ("from disc_client import models\n"
             "from disc_client._encoding import jsonable\n"
             "assert models.Artist.model_validate({'name': 'x'}).type == 'artist'\n"
             "held = models.Holder.model_validate({'item': {'type': 'track', 'title': 't'}})\n"
             "assert isinstance(held.item.root, models.Track), held\n"
             "sent = jsonable(models.Holder(item=models.HolderItem(models.Track(title='t'))))\n"
             "assert sent == {'item': {'title': 't', 'type': 'track'}}, sent\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=out, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    tests = run_package_tests(out)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    _assert_types_and_import(out, mypy_cache)


def test_wire_oddities_of_real_specs(tmp_path: Path, mypy_cache: Path) -> None:
    out, warnings = _generate("wire-oddities.yaml", tmp_path)
    assert "warning[L-AUTH-UNSUPPORTED]: security scheme 'mutual' (http) is not supported" in warnings
    probe = (
        "import httpx\n"
        "from wire_oddities_client import WireOddities\n"
        "seen = []\n"
        "def answer(request):\n"
        "    seen.append(request)\n"
        "    if request.url.path == '/bins':\n"
        "        return httpx.Response(200, content=b'\\x00PK', headers={'content-type': 'application/json'})\n"
        "    if request.url.path == '/count':\n"
        "        return httpx.Response(200, json=3)\n"
        "    return httpx.Response(204)\n"
        "client = WireOddities(username='u', password='p', http_client=httpx.Client(transport=httpx.MockTransport(answer)))\n"
        "assert client.objects.abort_upload('b', 'k', upload_id='u1') is None\n"
        "assert seen[-1].url.raw_path == b'/b/k?uploadId=u1', seen[-1].url\n"
        "assert client.objects.download_bins().content == b'\\x00PK'\n"
        "assert client.objects.count_objects() == 3\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=out, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    tests = run_package_tests(out, "-rs")
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "8 passed, 4 skipped" in tests.stdout
    assert tests.stdout.count("the client cannot send the credentials the operation needs: mutual is not supported") == 2
    assert tests.stdout.count("basic and token cannot be sent together: both need the Authorization header") == 2
    _assert_types_and_import(out, mypy_cache)


def test_a_string_schema_with_stray_properties_stays_a_string(tmp_path: Path) -> None:
    out, _ = _generate("string-with-properties.yaml", tmp_path)
    source = (out / "str_props_client" / "resources" / "default.py").read_text(encoding="utf-8")
    assert "code_challenge: builtins.str | NotGiven = NOT_GIVEN" in source
    tests = run_package_tests(out)
    assert tests.returncode == 0, tests.stdout + tests.stderr


def test_implicit_tags_typeless_schemas_and_union_bodies(tmp_path: Path, mypy_cache: Path) -> None:
    out, _ = _generate("typeless-and-tagged.yaml", tmp_path)
    models = (out / "typeless_and_tagged_client" / "models.py").read_text(encoding="utf-8")
    assert "class Object(Polymorphic):" in models and "Branchrestriction\"]" not in models
    assert 'type: Literal["artist"]' in models and 'type: Literal["Show"]' in models
    assert '{"branchrestriction": "Branchrestriction", "repository": "Repository"}' in models  # its __tags__
    assert "subject: Object | None = None" in models
    source = "\n".join(p.read_text(encoding="utf-8") for p in (out / "tests").glob("test_*.py"))
    assert '"type": "branchrestriction"' in source  # a value made up for it carries its tag
    assert "'{ \"ImportSummary\"" not in source  # the JSON text is no object: a value is made up
    assert '{"fields": {"Xf1": {"value": "a"}}}' in source  # the spec's example fits the oneOf
    assert "CreateDropletsBodyOption2.model_validate(" in source  # the member the example fits
    tests = run_package_tests(out, "-rs")
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "skipped" not in tests.stdout
    probe = ("import json\n"
             "from typeless_and_tagged_client import models as m\n"
             "from typeless_and_tagged_client._encoding import jsonable\n"
             "v = m.Branchrestriction.model_validate_json('{\"type\": \"branchrestriction\",'\n"
             "    ' \"subject\": {\"type\": \"repository\", \"full_name\": \"a/b\"}}')\n"
             "w = m.Branchrestriction.model_validate({'type': 'branchrestriction', 'subject': {'type': 'team'}})\n"
             "x = m.Branchrestriction.model_validate({'type': 'Branchrestriction', 'subject': {'type': 'repository'}})\n"
             "built = m.Branchrestriction(type='branchrestriction', subject=m.Repository(type='repository', full_name='c'))\n"
             "print(type(v.subject).__name__, type(w.subject).__name__, type(x).__name__, type(x.subject).__name__)\n"
             "print(json.dumps(jsonable(built), sort_keys=True))\n")
    done = subprocess.run([sys.executable, "-W", "error", "-c", probe], cwd=out, capture_output=True, text=True,
                          check=False)
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["Repository", "Object", "Branchrestriction", "Repository"], done.stderr
    # A child where its parent is typed is sent whole (its own fields too).
    assert json.loads(lines[1]) == {"type": "branchrestriction",
                                    "subject": {"type": "repository", "full_name": "c"}}, done.stderr
    _assert_types_and_import(out, mypy_cache)


def test_polymorphic_edges(tmp_path: Path, mypy_cache: Path) -> None:
    out, _ = _generate("polymorphic-edges.yaml", tmp_path)
    tests = run_package_tests(out, "-rs")
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "skipped" not in tests.stdout
    source = "\n".join(p.read_text(encoding="utf-8") for p in (out / "tests").glob("test_*.py"))
    assert 'FindAccountsBody.model_validate({"name": "string"})' in source  # a constraint-only part is no type
    probe = ("import json, httpx\n"
             "from polymorphic_edges_client import PolymorphicEdges, models as m\n"
             "print(type(m.Animal.model_validate({'kind': 'Cat'})).__name__,"
             " type(m.Pet.model_validate({'kind': 'pet'})).__name__,"
             " m.Animal.model_validate({'kind': 'x', 'poly': {'a': 'b'}}).poly.a)\n"
             "sent = []\n"
             "def answer(request):\n"
             "    sent.append(request)\n"
             "    return httpx.Response(204)\n"
             "client = PolymorphicEdges(http_client=httpx.Client(transport=httpx.MockTransport(answer)))\n"
             "client.x.find_accounts(filter=m.Filter(id='i', q='z'),"
             " body=m.FindAccountsBody(name='a', children=[m.Node(name='b')]))\n"
             "print(sent[0].url.query.decode(), json.dumps(json.loads(sent[0].content), sort_keys=True))\n")
    done = subprocess.run([sys.executable, "-W", "error", "-c", probe], cwd=out, capture_output=True, text=True,
                          check=False)
    lines = done.stdout.splitlines()
    assert len(lines) == 2, done.stderr
    assert lines[0].split() == ["Cat", "Pet", "b"]
    # The parameter's readOnly id is sent (it is no body property); the recursive body is sent whole.
    assert lines[1] == 'filter%5Bid%5D=i&filter%5Bq%5D=z {"children": [{"name": "b"}], "name": "a"}', lines[1]
    _assert_types_and_import(out, mypy_cache)
