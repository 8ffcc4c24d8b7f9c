"""Views -> files: Jinja templates for the package, the runtime copied, models from the model generator."""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

import jinja2
import jinja2.bccache

from . import cache
from .fileset import FileSet
from .view.model import PackageView

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per template text and Jinja version, kept in Careforge's cache."""

    def _entry(self, bucket: jinja2.bccache.Bucket) -> str:
        return cache.key("jinja", (cache.version("jinja2"), bucket.key, bucket.checksum))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        text = cache.get("jinja", self._entry(bucket))
        if text is not None:
            try:
                # Jinja checks its own magic (which names the Python version) and ignores a mismatch.
                bucket.bytecode_from_string(base64.b64decode(text, validate=True))
            except (binascii.Error, ValueError, EOFError, TypeError):
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        cache.put("jinja", self._entry(bucket), base64.b64encode(bucket.bytecode_to_string()).decode("ascii"))


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "package"),
        bytecode_cache=_CompiledTemplates(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render(package: PackageView, *, models: dict[str, str], spec_bundle: str, changelog: str | None = None) -> FileSet:
    env = environment()
    module = package.module
    files: dict[str, str] = {}
    verbatim: set[str] = set()

    def put(path: str, template: str, **context: object) -> None:
        files[path] = env.get_template(template).render(package=package, **context)

    put(f"{module}/__init__.py", "__init__.py.j2")
    put(f"{module}/_client.py", "_client.py.j2", client=package.client)
    put(f"{module}/resources/__init__.py", "resources/__init__.py.j2")
    for resource in package.resources:
        put(f"{module}/resources/{resource.module}.py", "resource.py.j2", resource=resource)
    put("pyproject.toml", "pyproject.toml.j2")
    documents = ["README.md", "api.md"] + (["CHANGELOG.md"] if changelog is not None else [])
    put("MANIFEST.in", "MANIFEST.in.j2", documents=" ".join(documents))
    put("README.md", "README.md.j2", docs=package.docs)
    put("api.md", "api.md.j2", docs=package.docs)
    put("tests/conftest.py", "tests/conftest.py.j2", tests=package.tests)
    for test_module in package.tests.modules:
        put(f"tests/test_{test_module.module}.py", "tests/test_resource.py.j2", module=test_module)
    for path, text in models.items():
        files[f"{module}/{path}"] = text
    files[f"{module}/py.typed"] = ""
    for source in sorted((TEMPLATES / "runtime").glob("*.py")):
        if source.name != "__init__.py":
            files[f"{module}/{source.name}"] = source.read_text(encoding="utf-8")
            verbatim.add(f"{module}/{source.name}")
    files["tests/_contract.py"] = (TEMPLATES / "testing" / "_contract.py").read_text(encoding="utf-8")
    verbatim.add("tests/_contract.py")
    files["tests/spec.json"] = spec_bundle
    if changelog is not None:
        files["CHANGELOG.md"] = changelog
    return FileSet(files, frozenset(verbatim))
