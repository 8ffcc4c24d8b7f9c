"""The reserved-name lists in generator/names.py cover what the generated modules really bind."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import httpx

import pytest

from conftest import REPO, generate, imported
from generator import names

PACKAGES = sorted(p for p in (REPO / "generated").iterdir() if (p / "pyproject.toml").is_file())


def module_level_names(path: Path) -> set[str]:
    """Names a module binds at its top level: imports, classes, functions and assignments."""
    bound: set[str] = set()
    body = list(ast.parse(path.read_text(encoding="utf-8")).body)
    for node in body:
        if isinstance(node, ast.If):  # `if typing.TYPE_CHECKING:` imports bind names for the type checker
            body.extend(node.body)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("resources"):
            continue  # resource classes are named around the client classes (view/resources.py)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            bound.update(t.id for t in targets if isinstance(t, ast.Name))
    return bound


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_client_classes_cannot_shadow_a_module_level_name(package: Path) -> None:
    (init,) = [p for p in package.glob("*/__init__.py") if p.parent.name != "tests"]
    client_module = init.with_name("_client.py")
    clients = {n.name for n in ast.parse(client_module.read_text(encoding="utf-8")).body if isinstance(n, ast.ClassDef)}
    # The two clients and what with_raw_response and with_streaming_response return for each.
    assert len(clients) == 6
    assert len({c.removesuffix("WithRawResponse").removesuffix("WithStreamingResponse") for c in clients}) == 2
    bound = set().union(*(module_level_names(p) for p in [init, client_module, *sorted(package.glob("tests/*.py"))]))
    capitalised = {n for n in bound - clients if n[:1].isupper()}
    assert capitalised <= names.RESERVED_CLIENT_CLASSES, sorted(capitalised - names.RESERVED_CLIENT_CLASSES)


@pytest.mark.parametrize("title", ["Mapping", "API Error", "Page", "Path", "Contract", "Timeout", "Sync API Client",
                                   "Client Config", "Scheme Spec", "Pager", "Long Running"])
def test_a_title_naming_a_reserved_class_gets_client_appended(title: str) -> None:
    client = names.client_class(title)
    assert client.endswith("Client")
    assert client not in names.RESERVED_CLIENT_CLASSES
    assert f"Async{client}" not in names.RESERVED_CLIENT_CLASSES


def test_an_ordinary_title_keeps_its_name() -> None:
    assert names.client_class("Pet Store") == "PetStore"


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_method_arguments_cannot_shadow_a_name_the_resource_modules_bind(package: Path) -> None:
    modules = sorted(package.glob("*/resources/**/*.py"))
    assert modules
    bound = set().union(*(module_level_names(p) for p in modules))
    lower = {n for n in bound if n[:1].islower()} - {"annotations"}  # the __future__ import binds nothing used
    assert lower <= names.RESERVED_ARGUMENTS, sorted(lower - names.RESERVED_ARGUMENTS)


_PLAIN_ATTRIBUTES = """
import importlib, json, sys
module = importlib.import_module(sys.argv[1] + "._client")
found = {}
for cls in vars(module).values():
    if isinstance(cls, type) and cls.__module__ == module.__name__:
        found[cls.__name__] = sorted(n for n in dir(cls) if not isinstance(getattr(cls, n, None), property))
print(json.dumps(found))
"""


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_every_attribute_of_a_real_client_is_reserved_for_resources(package: Path) -> None:
    """What a client object really has (bar its resource properties) is what the generator keeps tags from."""
    module_name = next(p.parent.name for p in package.glob("*/_client.py"))
    # In a child: importing the package here and forgetting it after would leave other tests of this
    # process holding classes of a different import.
    done = subprocess.run([sys.executable, "-c", _PLAIN_ATTRIBUTES, module_name], cwd=package, capture_output=True,
                          text=True, check=True, timeout=120)
    classes = json.loads(done.stdout)
    assert len(classes) == 6  # the two clients and their raw and streaming views
    for cls, plain in classes.items():
        missing = set(plain) - names.RESERVED_CLIENT_ATTRIBUTES
        assert not missing, f"{cls} has attributes a tag could take: {sorted(missing)}"


def test_tags_named_like_client_attributes_do_not_shadow_them(tmp_path: Path) -> None:
    tags = ["send", "client_parameter", "base_url", "close", "with_options", "request", "timeout"]
    spec = {"openapi": "3.1.0", "info": {"title": "Shadow", "version": "1"},
            "servers": [{"url": "https://shadow.example"}],
            "paths": {f"/{tag}": {"get": {"operationId": f"{tag}_list", "tags": [tag],
                                          "responses": {"204": {"description": "Nothing"}}}} for tag in tags}}
    (tmp_path / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    generate("spec.json", "out", cwd=tmp_path, extra=("--package", "shadow_client"))
    with imported(tmp_path / "out", "shadow_client") as module:
        sent: list[httpx.Request] = []

        def answer(request: httpx.Request) -> httpx.Response:
            sent.append(request)
            return httpx.Response(204)

        client = module.Shadow(http_client=httpx.Client(transport=httpx.MockTransport(answer)), timeout=5.0)
        for tag in tags:
            getattr(client, f"{tag}_").list()
        assert [r.url.path for r in sent] == [f"/{tag}" for tag in tags]
        assert str(client.base_url) == "https://shadow.example" and client.timeout == 5.0
        client.close()
