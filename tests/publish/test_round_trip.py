"""Round trip: `careforge publish` every generated package to a local package index (pypiserver, with
authenticated uploads), then, for each package, in a fresh virtual environment: install it from that
index, import it, run `mypy --strict` on a script that uses the installed package (so its py.typed
is what makes it typed), and run that script: one call of the client against a loopback HTTP server
that answers with the spec's example.

The dependencies (httpx, pydantic) come from a wheelhouse filled once per run with `pip download`
from the configured package index; the fresh environments see only the local index and the wheelhouse.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import pytest
from packaging.utils import canonicalize_name, parse_sdist_filename, parse_wheel_filename
from packaging.version import Version

from generator.ir import model as ir

if TYPE_CHECKING:
    from click.testing import Result

pytestmark = [
    pytest.mark.publish,
    pytest.mark.filterwarnings("ignore:'crypt' is deprecated:DeprecationWarning"),  # passlib, for the htpasswd file
]

REPO = Path(__file__).resolve().parents[2]
VENDORS = sorted(p.parent.name for p in (REPO / "generated").glob("*/pyproject.toml"))
USERNAME = "publisher"
PASSWORD = f"round-trip-{secrets.token_hex(8)}"
TOKEN_PATH = "/careforge-test/oauth2/token"
STARTUP_SECONDS = 30.0


def run(command: list[str], *, cwd: Path, env: Mapping[str, str] | None = None,
        timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=None if env is None else dict(env), capture_output=True, text=True,
                          check=False, timeout=timeout, stdin=subprocess.DEVNULL)


def explain(result: subprocess.CompletedProcess[str]) -> str:
    return f"$ {' '.join(map(str, result.args))}\n(exit {result.returncode})\n{result.stdout}\n{result.stderr}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def bare_env(**extra: str) -> dict[str, str]:
    """The environment without pip's and Python's own settings: nothing leaks in from this machine's setup."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIP_", "PYTHON", "MYPY", "VIRTUAL_ENV", "CAREFORGE_", "TWINE_"))}
    return {**env, "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1", **extra}


# ---------------------------------------------------------------------------------------------- the index


@dataclass(frozen=True)
class Index:
    url: str  # the upload URL; /simple/ below it is the install URL
    packages: Path


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    from passlib.apache import HtpasswdFile  # type: ignore[import-untyped]

    where = tmp_path_factory.mktemp("index")
    packages = where / "packages"
    packages.mkdir()
    htpasswd = HtpasswdFile(str(where / "htpasswd"), new=True)
    htpasswd.set_password(USERNAME, PASSWORD)
    htpasswd.save()
    port = free_port()
    command = [sys.executable, "-m", "pypiserver", "run", "--host", "127.0.0.1", "--port", str(port),
               "--authenticate", "update", "--passwords", str(where / "htpasswd"),
               "--disable-fallback",  # never send pip to a public index for a name it does not have
               str(packages)]
    with open(where / "server.log", "wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_until_up(url + "simple/", server, where / "server.log")
        yield Index(url=url, packages=packages)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"pypiserver exited with {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    pytest.fail(f"pypiserver did not answer on {url} within {STARTUP_SECONDS:.0f} s")


# ------------------------------------------------------------------------------------------ publishing


@dataclass(frozen=True)
class Package:
    distribution: str
    version: str
    module: str


def pyproject(vendor: str) -> dict[str, Any]:
    return tomllib.loads((REPO / "generated" / vendor / "pyproject.toml").read_text())


def package_of(vendor: str) -> Package:
    toml = pyproject(vendor)
    module = toml["tool"]["setuptools"]["packages"]["find"]["include"][0].rstrip("*")
    return Package(distribution=toml["project"]["name"], version=toml["project"]["version"], module=module)


@pytest.fixture(scope="module")
def published(index: Index, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Package]:
    dist = tmp_path_factory.mktemp("dist")
    env = bare_env(CAREFORGE_REPOSITORY_USERNAME=USERNAME, CAREFORGE_REPOSITORY_PASSWORD=PASSWORD)
    result = run([sys.executable, "-m", "generator", "publish", "--repository-url", index.url, "--out-dir", str(dist)],
                 cwd=REPO, env=env, timeout=600)
    assert result.returncode == 0, explain(result)
    assert PASSWORD not in result.stdout + result.stderr
    packages = {vendor: package_of(vendor) for vendor in VENDORS}
    on_index = sorted(p.name for p in index.packages.iterdir())
    sdists = {parse_sdist_filename(name)[:2] for name in on_index if name.endswith(".tar.gz")}
    wheels = {parse_wheel_filename(name)[:2] for name in on_index if name.endswith(".whl")}
    for package in packages.values():
        released = (canonicalize_name(package.distribution), Version(package.version))
        assert released in sdists and released in wheels, on_index
    return packages


class Wheelhouse:
    """The dependencies of every package (their closure), as wheels, in the versions this project pins.

    Downloaded in the background while the packages are published; `path` waits for it.
    """

    def __init__(self, where: Path) -> None:
        self.where = where
        requirements = sorted({need for vendor in VENDORS for need in pyproject(vendor)["project"]["dependencies"]})
        self.command = [sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:",
                        "--dest", str(where), "--constraint", str(REPO / "constraints.txt"), *requirements]
        # This machine's own pip settings: the package index it is configured with.
        self.process = subprocess.Popen(self.command, cwd=where, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, text=True)
        self.output: str | None = None

    @property
    def path(self) -> Path:
        if self.output is None:
            self.output, _ = self.process.communicate(timeout=300)
        assert self.process.returncode == 0, f"$ {' '.join(self.command)}\n{self.output}"
        return self.where

    def stop(self) -> None:
        if self.output is None:
            self.process.kill()
            self.output, _ = self.process.communicate(timeout=30)


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wheelhouse]:
    house = Wheelhouse(tmp_path_factory.mktemp("wheelhouse"))
    try:
        yield house
    finally:
        house.stop()


# ------------------------------------------------------------------------------- one call, on loopback


@dataclass
class Exchange:
    """What the loopback server answers, and what it was asked."""

    status: int
    media_type: str
    body: bytes
    seen: list[tuple[str, str]] = field(default_factory=list)  # (method, path with query)


@pytest.fixture
def loopback() -> Iterator[tuple[str, Exchange]]:
    exchange = Exchange(status=200, media_type="application/json", body=b"{}")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's spelling)
            exchange.seen.append(("GET", self.path))
            self.answer(exchange.status, exchange.media_type, exchange.body)

        def do_POST(self) -> None:  # noqa: N802
            exchange.seen.append(("POST", self.path))
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            token = {"access_token": "loopback-token", "token_type": "Bearer", "expires_in": 3600}
            self.answer(200, "application/json", json.dumps(token).encode())

        def answer(self, status: int, media_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", exchange
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass(frozen=True)
class Call:
    script: str  # type-checked with mypy --strict, then run with the base URL as its argument
    path: str  # the request path the call must make
    response: ir.Response
    model: str


def api_of(vendor: str) -> ir.Api:
    # The pipeline's first stages (no validation, no rendering): the IR the package was made from.
    from generator.ir.build import build as build_ir
    from generator.load import load
    from generator.resolve import resolve
    from generator.rules import apply_rules, load_rules

    spec = resolve(load(REPO / "specs" / vendor / "openapi.yaml", f"specs/{vendor}/openapi.yaml"))
    api, _ = build_ir(spec, strict=True)
    rules, _ = load_rules(REPO / "specs" / vendor / "rules.toml", f"specs/{vendor}/rules.toml")
    api, _ = apply_rules(api, rules, f"specs/{vendor}/rules.toml")
    return api


def argument(parameter: ir.Parameter) -> object | None:
    """A value for a required argument that mypy accepts as its type, or None when there is none simple."""
    example: object = json.loads(parameter.example) if parameter.example is not None else None
    kind = parameter.type
    if isinstance(kind, ir.LiteralType):
        allowed: list[object] = [json.loads(value) for value in kind.values]
        return example if example in allowed else allowed[0]
    if isinstance(kind, ir.PrimitiveType) and not kind.format:
        wanted = {ir.Primitive.STR: str, ir.Primitive.INT: int}.get(kind.kind)
        if wanted is not None:
            return example if type(example) is wanted else wanted("1")
    return None


def one_get_call(vendor: str, package: Package) -> Call:
    """The first plain GET (no pagination, JSON model answer with an example) and a script making it."""
    api = api_of(vendor)
    for resource in api.resources:
        for op in resource.operations:
            answer = op.responses[0] if op.responses else None
            # An operation with a server of its own goes there, not to the loopback base_url.
            if (op.method is not ir.HttpMethod.GET or op.pagination is not None or op.long_running is not None
                    or op.server or op.body is not None or answer is None or answer.kind is not ir.ResponseKind.JSON
                    or answer.example is None or not isinstance(answer.type, ir.ModelType)):
                continue
            wanted = [p for p in op.parameters if p.required and p.client_parameter is None]
            values: dict[str, object] = {p.name: argument(p) for p in wanted}
            if any(v is None for v in values.values()) or any(
                    p.location not in (ir.ParamLocation.PATH, ir.ParamLocation.QUERY) for p in wanted):
                continue
            path = op.path
            for p in wanted:
                path = path.replace("{" + p.wire_name + "}", str(values[p.name]))
            for p in op.parameters:
                if p.client_parameter is not None:
                    path = path.replace("{" + p.wire_name + "}", "demo")  # the client's argument, below
            return Call(script=script(api, package, resource, op, values), path=path, response=answer,
                        model=answer.type.name)
    pytest.fail(f"{vendor}: no GET operation with a JSON model example and simple required arguments to call")


def script(api: ir.Api, package: Package, resource: ir.Resource, op: ir.Operation,
           values: Mapping[str, object]) -> str:
    arguments = [f"{name}={argument!r}" for name, argument in {
        **{c: f"test-{c}" for scheme in api.security_schemes for c in scheme.credentials},
        **{p.name: "demo" for p in api.client_parameters},
    }.items()]
    for scheme in api.security_schemes:
        if scheme.token is not None:
            # The token must be asked of the loopback server too, never of the vendor's.
            assert "token_url" in scheme.options, f"{scheme.key}: no token_url argument to point at loopback"
            arguments.append(f"token_url=base_url + {TOKEN_PATH!r}")
    call = ", ".join(f"{name}={value!r}" for name, value in values.items())
    return f'''"""One typed call of {package.distribution}, installed (not in-tree)."""

import sys

from {package.module} import {api.package.client}


def main(base_url: str) -> str:
    with {api.package.client}(base_url=base_url, max_retries=0, {", ".join(arguments)}) as client:
        result = client.{".".join(resource.path)}.{op.name}({call})
    return type(result).__name__


if __name__ == "__main__":
    print(main(sys.argv[1]))
'''


# ------------------------------------------------------------------------------------------ the test


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by the environments: what they have in common (httpx, pydantic, the stdlib) is checked once."""
    return tmp_path_factory.mktemp("mypy-cache")


@pytest.mark.parametrize("vendor", VENDORS)
def test_install_from_index_type_check_and_call(vendor: str, wheelhouse: Wheelhouse, published: dict[str, Package],
                                                 index: Index, loopback: tuple[str, Exchange], mypy_cache: Path,
                                                 tmp_path: Path) -> None:
    package = published[vendor]
    venv = tmp_path / "venv"
    python = str(venv / "bin" / "python")
    made = run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path)
    assert made.returncode == 0, explain(made)

    # This venv's pip is the outer one (`pip --python`); it sees the local index and the wheelhouse only.
    install = run([sys.executable, "-m", "pip", "--python", python, "install", "--no-cache-dir", "--only-binary=:all:",
                   "--index-url", f"{index.url}simple/", "--find-links", str(wheelhouse.path),
                   "--report", str(tmp_path / "report.json"), f"{package.distribution}=={package.version}"],
                  cwd=tmp_path, env=bare_env())
    assert install.returncode == 0, explain(install)
    report = json.loads((tmp_path / "report.json").read_text())
    origin = {item["metadata"]["name"]: item["download_info"]["url"] for item in report["install"]}
    assert origin[package.distribution].startswith(f"{index.url}packages/"), origin

    imported = run([python, "-c", f"import {package.module} as m; print(m.__file__)"], cwd=tmp_path, env=bare_env())
    assert imported.returncode == 0, explain(imported)
    assert Path(imported.stdout.strip()).is_relative_to(venv), imported.stdout

    call = one_get_call(vendor, package)
    (tmp_path / "use.py").write_text(call.script)
    typed = run([sys.executable, "-m", "mypy", "--strict", "--config-file=", "--python-executable", python,
                 "--cache-dir", str(mypy_cache), "use.py"], cwd=tmp_path, env=bare_env())
    assert typed.returncode == 0, explain(typed) + "\n" + call.script

    base_url, exchange = loopback
    status = call.response.status
    exchange.status = int(status) if status.isdigit() else 200
    exchange.media_type = call.response.media_type or "application/json"
    exchange.body = (call.response.example or "").encode()
    ran = run([python, "use.py", base_url], cwd=tmp_path, env=bare_env(), timeout=60)
    assert ran.returncode == 0, explain(ran) + "\n" + call.script
    assert ran.stdout.strip() == call.model
    gets = [unquote(urlsplit(path).path) for method, path in exchange.seen if method == "GET"]
    assert gets == [call.path], exchange.seen
    assert all(path == TOKEN_PATH for method, path in exchange.seen if method == "POST"), exchange.seen


# --------------------------------------------------------------------------------------- refusals


def careforge_publish(*args: str, env: Mapping[str, str]) -> Result:
    from click.testing import CliRunner

    from generator.cli import main

    return CliRunner().invoke(main, ["publish", *args], env=dict(env), catch_exceptions=False)


CREDENTIALS = {"CAREFORGE_REPOSITORY_USERNAME": USERNAME, "CAREFORGE_REPOSITORY_PASSWORD": PASSWORD}
NOWHERE = "http://127.0.0.1:9/"  # never contacted: every case below stops before an upload


@pytest.mark.parametrize(("args", "env", "message"), [
    ((), CREDENTIALS, "Missing option '--repository-url'"),
    (("--repository-url", NOWHERE), {}, "CAREFORGE_REPOSITORY_PASSWORD"),
    (("--repository-url", f"http://{USERNAME}:{PASSWORD}@127.0.0.1:9/"), CREDENTIALS, "must not hold credentials"),
    (("--repository-url", "ftp://127.0.0.1/"), CREDENTIALS, "is not an http(s) URL"),
    (("no-such-vendor", "--repository-url", NOWHERE), CREDENTIALS, "no generated package 'no-such-vendor'"),
])
def test_bad_input_is_exit_2(args: tuple[str, ...], env: dict[str, str], message: str,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    for name in (*CREDENTIALS, "CAREFORGE_REPOSITORY_URL"):
        monkeypatch.delenv(name, raising=False)
    result = careforge_publish(*args, env=env)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert PASSWORD not in result.output


def test_a_stale_package_is_refused(tmp_path: Path) -> None:
    vendor = min(VENDORS, key=lambda v: (REPO / "specs" / v / "openapi.yaml").stat().st_size)
    for folder in ("specs", "generated"):
        shutil.copytree(REPO / folder / vendor, tmp_path / folder / vendor,
                        ignore=shutil.ignore_patterns("__pycache__"))
    readme = tmp_path / "generated" / vendor / "README.md"
    readme.write_text(readme.read_text() + "\nEdited by hand.\n")
    result = careforge_publish(vendor, "--root", str(tmp_path), "--repository-url", NOWHERE,
                               "--out-dir", str(tmp_path / "dist"), env=CREDENTIALS)
    assert result.exit_code == 1, result.output
    assert f"refused: {tmp_path / 'generated' / vendor}: not fresh" in result.output
    assert "+Edited by hand." not in result.output  # the diff runs from disk to what the spec makes
    assert "-Edited by hand." in result.output
    assert "nothing was built or uploaded" in result.output
    assert not (tmp_path / "dist").exists()


def test_failing_tests_are_a_refusal(tmp_path: Path) -> None:
    from generator.publish import failing_tests

    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_broken.py").write_text("def test_broken() -> None:\n    assert 1 == 2\n")
    assert failing_tests(tmp_path) == "its tests fail (pytest exited 1)"
    (tmp_path / "tests" / "test_broken.py").write_text("def test_fixed() -> None:\n    assert 2 == 2\n")
    assert failing_tests(tmp_path) is None
