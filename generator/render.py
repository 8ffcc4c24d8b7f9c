"""Views -> files: Jinja templates for the package, the runtime copied, models from the model generator."""

from __future__ import annotations

from pathlib import Path

import jinja2

from .fileset import FileSet
from .view.model import PackageView

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "package"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render(package: PackageView, *, models: dict[str, str], spec_bundle: str) -> FileSet:
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
    put("MANIFEST.in", "MANIFEST.in.j2")
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
    return FileSet(files, frozenset(verbatim))
