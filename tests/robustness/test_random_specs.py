"""Random valid specs (hypothesis, strategies in _spec_strategies.py): each one generates without
a complaint about its examples; the example data of its request bodies, responses and components
parse with the declared models and dump back unchanged; and the package's own generated tests pass
(they call every operation with its examples against a mock that checks the request and returns the
example response). A few also pass `mypy --strict`.

Deterministic for CI: `derandomize=True` (every run tries the same specs), no example database, no
deadline. Shrinking is off so a failing run stays short; the failing spec is printed instead (note).
For a deeper local run: `CAREFORGE_RANDOM_EXAMPLES=200 pytest tests/robustness/test_random_specs.py`.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, given, note, settings

from generator.checks.lint import lint
from generator.load import _SpecLoader

from ._harness import HELPERS, invoke, run_mypy, run_package_tests
from ._spec_strategies import MODULE, Built, specs

EXAMPLES = int(os.environ.get("CAREFORGE_RANDOM_EXAMPLES", "10"))
TYPED_EXAMPLES = 3

_SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "phases": (Phase.explicit, Phase.generate),
    "suppress_health_check": (HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example),
}


class _Dumper(yaml.SafeDumper):
    """Quotes every string the generator's YAML 1.2 loader would read as something else ('1e100')."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    try:
        plain = yaml.load(value, Loader=_SpecLoader) == value
    except yaml.YAMLError:
        plain = False
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=None if plain else '"')


_Dumper.add_representer(str, _represent_str)


def _text(built: Built) -> str:
    if built.file_name.endswith(".json"):
        return json.dumps(built.spec, indent=2)
    text = yaml.dump(built.spec, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
    assert yaml.load(text, Loader=_SpecLoader) == built.spec, "the YAML written does not mean the spec drawn"
    return text


def _generate(built: Built, root: Path) -> Path:
    text = _text(built)
    note(f"{built.file_name}:\n{text}")
    (root / built.file_name).write_text(text, encoding="utf-8")
    run = invoke("generate", built.file_name, "--out", "out", cwd=root)
    assert run.code == 0, run.output
    assert "L-EXAMPLE-INVALID" not in run.stderr, f"an example drawn from its schema was refused:\n{run.stderr}"
    return root / "out"


@settings(max_examples=EXAMPLES, **_SETTINGS)  # type: ignore[arg-type]
@given(built=specs())
def test_random_spec_generates_parses_its_examples_and_passes_its_tests(built: Built) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = _generate(built, Path(tmp))
        passed, problems = lint(out)
        assert passed, problems
        with HELPERS.imported(out, MODULE) as package:
            for name, examples in built.component_examples.items():
                model = getattr(package.models, name)
                for example in examples:
                    parsed = model.model_validate(example)
                    assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == example
        done = run_package_tests(out)
        assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


@settings(max_examples=TYPED_EXAMPLES, **_SETTINGS)  # type: ignore[arg-type]
@given(built=specs())
def test_random_spec_passes_mypy_strict(built: Built, mypy_cache: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = _generate(built, Path(tmp))
        done = run_mypy(out, MODULE, mypy_cache)
        assert done.returncode == 0, done.stdout[-4000:]
