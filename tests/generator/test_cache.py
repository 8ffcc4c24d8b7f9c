"""The cache of slow steps never changes what is written: same bytes with it, without it, or damaged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import HERE, generate, invoke, tree

SPEC = str(HERE / "specs" / "union-samples.yaml")


def test_output_is_the_same_with_a_cold_a_warm_and_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache"))
    generate(SPEC, tmp_path / "cold", cwd=tmp_path)
    entries = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert {p.parent.parent.name for p in entries} >= {"format", "models", "validated", "linted", "jinja",
                                                          "samples"}
    generate(SPEC, tmp_path / "warm", cwd=tmp_path)
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", "off")
    generate(SPEC, tmp_path / "none", cwd=tmp_path)
    assert tree(tmp_path / "cold") == tree(tmp_path / "warm") == tree(tmp_path / "none")


def test_a_damaged_entry_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache"))
    generate(SPEC, tmp_path / "first", cwd=tmp_path)
    for entry in (tmp_path / "cache" / "format").rglob("*"):
        if entry.is_file():
            entry.write_text(entry.read_text().replace("models", "MODELS"))
    generate(SPEC, tmp_path / "second", cwd=tmp_path)
    assert tree(tmp_path / "first") == tree(tmp_path / "second")


LINTED = """\
openapi: 3.1.0
info: {title: Linted, version: "1"}
paths:
  /things:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {n: {type: integer}}}
              example: {n: "not a number"}
"""


def test_lint_findings_come_back_from_the_cache_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "linted.yaml").write_text(LINTED, encoding="utf-8")
    cold = generate("linted.yaml", tmp_path / "cold", cwd=tmp_path)
    assert "L-OPID-MISSING" in cold.stderr and "L-EXAMPLE-INVALID" in cold.stderr
    import generator.lint

    def not_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("linted again although the same spec was linted before")

    monkeypatch.setattr(generator.lint, "lint", not_again)
    warm = generate("linted.yaml", tmp_path / "warm", cwd=tmp_path)
    assert warm.stderr == cold.stderr
    assert tree(tmp_path / "cold") == tree(tmp_path / "warm")
    # strict turns the same findings into errors: a separate entry, not the warnings above.
    monkeypatch.undo()
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache"))
    strict = invoke("validate", "--strict", "linted.yaml", cwd=tmp_path)
    assert strict.code == 2 and "error[L-OPID-MISSING]" in strict.stderr + strict.stdout


def test_test_values_are_picked_once_per_spec_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache"))
    generate(SPEC, tmp_path / "cold", cwd=tmp_path)
    import generator.ir.samples

    def not_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("a test value picked again although the same spec was sampled before")

    monkeypatch.setattr(generator.ir.samples.Sampler, "_pick", not_again)
    generate(SPEC, tmp_path / "warm", cwd=tmp_path)
    assert tree(tmp_path / "cold") == tree(tmp_path / "warm")
    changed = tmp_path / "changed.yaml"  # another text is another entry: picked afresh
    changed.write_text(Path(SPEC).read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="picked again"):
        generate(str(changed), tmp_path / "other", cwd=tmp_path)


def test_split_models_are_the_same_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(HERE / "specs" / "split-models", tmp_path / "specs" / "pets")
    assert invoke("generate", "--root", tmp_path, "pets", cwd=tmp_path).code == 0
    cold = tree(tmp_path / "generated" / "pets")
    for namespace in ("models-split", "models"):
        assert any((tmp_path / "cache" / namespace).rglob("*")), namespace
    import generator.model_split
    import generator.models

    def not_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("computed again although the cache holds it")

    monkeypatch.setattr(generator.model_split, "split_models", not_again)
    monkeypatch.setattr(generator.models, "_run", not_again)
    shutil.rmtree(tmp_path / "generated")
    assert invoke("generate", "--root", tmp_path, "pets", cwd=tmp_path).code == 0
    assert tree(tmp_path / "generated" / "pets") == cold


# Key order is not meaning to a validator, but it is to what is written: a model's fields, a value's members.
KEY_ORDER = (HERE / "specs" / "key-order.yaml").read_text(encoding="utf-8")
REORDERED = {
    "properties": ("properties: {name: {type: string}, age: {type: integer}}",
                   "properties: {age: {type: integer}, name: {type: string}}"),
    "an example": ("example: {name: Rex, age: 3}\n  /pets/first", "example: {age: 3, name: Rex}\n  /pets/first"),
}


def _warm_and_cold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> tuple[Path, Path]:
    spec = tmp_path / "spec.yaml"
    assert old in KEY_ORDER
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache"))
    spec.write_text(KEY_ORDER, encoding="utf-8")
    generate("spec.yaml", tmp_path / "before", cwd=tmp_path)
    spec.write_text(KEY_ORDER.replace(old, new), encoding="utf-8")
    generate("spec.yaml", tmp_path / "warm", cwd=tmp_path)
    monkeypatch.setenv("CAREFORGE_CACHE_DIR", "off")
    generate("spec.yaml", tmp_path / "cold", cwd=tmp_path)
    return tmp_path / "warm", tmp_path / "cold"


def test_models_follow_a_reordering_of_properties(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    warm, cold = _warm_and_cold(tmp_path, monkeypatch, *REORDERED["properties"])
    models = "pets_client/models.py"
    assert tree(warm)[models] == tree(cold)[models]
    assert tree(warm)[models] != tree(tmp_path / "before")[models]


def test_grouped_models_follow_a_reordering_of_properties(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same, where the models are made group by group (large specs), each group cached on its own."""
    import generator.models

    monkeypatch.setattr(generator.models, "GROUP_FROM", 1)
    warm, cold = _warm_and_cold(tmp_path, monkeypatch, *REORDERED["properties"])
    models = "pets_client/models.py"
    assert tree(warm)[models] == tree(cold)[models]
    assert tree(warm)[models] != tree(tmp_path / "before")[models]


@pytest.mark.parametrize("what", sorted(REORDERED))
def test_a_reordering_gives_the_package_of_a_cold_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      what: str) -> None:
    warm, cold = _warm_and_cold(tmp_path, monkeypatch, *REORDERED[what])
    assert tree(warm) == tree(cold)
    assert tree(warm) != tree(tmp_path / "before")


# What is kept of the runtime's files (its exports, that it compiles) depends on the code that reads
# them as much as on their texts: an edit of that code must be seen, as a cold run sees it.
RUNTIME_MODULE = '__all__ = ["Thing"]\n\n\nclass Thing: ...\n'


def _edited_generator(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import cache

    monkeypatch.setattr(cache, "generator_digest", lambda: "the generator as edited")


def test_the_runtime_s_exports_follow_an_edit_of_the_code_reading_them(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.view import runtime

    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "public.py").write_text(RUNTIME_MODULE, encoding="utf-8")
    assert runtime._read.__wrapped__(tmp_path) == (("public", ("Thing",)),)
    _edited_generator(monkeypatch)
    monkeypatch.setattr(runtime, "_declared", lambda tree: ("Thing", "Other"))  # reads `__all__` another way
    assert runtime._read.__wrapped__(tmp_path) == (("public", ("Thing", "Other")),)


def test_the_compile_check_of_copied_files_follows_an_edit_of_the_check(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import format

    monkeypatch.setenv("CAREFORGE_CACHE_DIR", str(tmp_path / "cache"))
    sources = [("pkg/_public.py", RUNTIME_MODULE)]
    format._check_verbatim(sources)
    _edited_generator(monkeypatch)

    def stricter(source: str, path: str) -> None:
        raise SyntaxError("refused by the stricter check")

    monkeypatch.setattr(format, "_compile", stricter)
    with pytest.raises(format.FormatError, match="refused by the stricter check"):
        format._check_verbatim(sources)
