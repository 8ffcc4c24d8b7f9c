"""Hostile XML responses, served from loopback: each is refused (or, for XInclude, left as a plain element)
with the body kept, and nothing in it makes the client read a file or open a connection.

What is hostile is defined by W3C XML 1.0 (fifth edition): 2.8 (document type declarations, external DTD
subsets), 4.2 (general and parameter entities, external entities), 4.3.3 (encoding declarations), and by
XInclude 1.0 for `xi:include`. The watch on files and connections is Python's own audit hooks (PEP 578).
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ._clients import generate_package
from ._server import Reply, Server

MODULE = "rt_xml_client"
SPEC = """\
openapi: 3.1.0
info: {title: Xml, version: "1"}
servers:
  - url: https://xml.example.test
tags:
  - {name: documents, description: Documents.}
paths:
  /typed:
    get:
      operationId: documents_typed
      tags: [documents]
      responses:
        "200":
          description: A typed document.
          content:
            application/xml:
              schema:
                type: object
                xml: {name: r}
                properties:
                  a: {type: string}
  /untyped:
    get:
      operationId: documents_untyped
      tags: [documents]
      responses:
        "200":
          description: A document without a schema.
          content:
            application/xml: {}
"""

SECRET_TEXT = "the-secret-file-content-4e1d"


class _Watch:
    """Files opened and connections made on this thread while armed (an audit hook cannot be removed, so
    it stays installed, idle, after the test)."""

    def __init__(self) -> None:
        self.armed = False
        self.thread = 0
        self.opened: list[str] = []
        self.connected: list[Any] = []

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.armed or threading.get_ident() != self.thread:
            return
        if event == "open":
            self.opened.append(str(args[0]))
        elif event in ("socket.connect", "urllib.Request"):
            self.connected.append(args[1] if event == "socket.connect" else args[0])


_WATCH = _Watch()
sys.addaudithook(_WATCH)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    folder = generate_package(tmp_path_factory.mktemp("xml-package"), MODULE, SPEC)
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(MODULE)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n.split(".")[0] == MODULE]:
            del sys.modules[name]


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET_TEXT, encoding="utf-8")
    return path


def _documents(secret: Path, dtd_url: str) -> dict[str, bytes]:
    lol = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">'
                                           for i in range(1, 10))
    big = "x" * 100_000
    return {
        "billion-laughs": f'<?xml version="1.0"?><!DOCTYPE r [{lol}]><r><a>&lol9;</a></r>'.encode(),
        "quadratic-blowup": (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY big "{big}">]><r><a>'
                             + "&big;" * 10_000 + "</a></r>").encode(),
        "external-general-entity": (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
                                    "<r><a>&x;</a></r>").encode(),
        "external-dtd": f'<?xml version="1.0"?><!DOCTYPE r SYSTEM "{dtd_url}"><r><a>x</a></r>'.encode(),
        "parameter-entity": (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "{dtd_url}"> %p;]>'
                             "<r><a>x</a></r>").encode(),
        "encoding-disagrees": '<?xml version="1.0" encoding="UTF-16"?><r><a>x</a></r>'.encode("utf-8"),
        "undeclarable-bytes": '<?xml version="1.0" encoding="us-ascii"?><r><a>é</a></r>'.encode("utf-8"),
        "plain-doctype": b'<?xml version="1.0"?><!DOCTYPE r><r><a>x</a></r>',
    }


def _call(package: ModuleType, flavour: str, base_url: str, operation: str) -> Any:
    if flavour == "sync":
        with package.Xml(base_url=base_url, max_retries=0) as client:
            return getattr(client.documents, operation)()

    async def run() -> Any:
        async with package.AsyncXml(base_url=base_url, max_retries=0) as client:
            return await getattr(client.documents, operation)()

    return asyncio.run(run())


def _watched(package: ModuleType, flavour: str, base_url: str, operation: str) -> Any:
    """The call's result or the error it raised, with the files and connections seen during it."""
    _WATCH.opened.clear()
    _WATCH.connected.clear()
    _WATCH.thread, _WATCH.armed = threading.get_ident(), True
    try:
        return _call(package, flavour, base_url, operation)
    except Exception as exc:  # noqa: BLE001 - the test looks at what was raised
        return exc
    finally:
        _WATCH.armed = False


@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize("operation", ["typed", "untyped"])
@pytest.mark.parametrize("case", list(_documents(Path("/x"), "http://x/")))
def test_a_hostile_document_is_refused_with_its_body_kept(package: ModuleType, server: Server, other_server: Server,
                                                          secret: Path, case: str, operation: str,
                                                          flavour: str) -> None:
    dtd_url = f"{other_server.url}/x.dtd"
    other_server.route("GET", "/x.dtd", Reply(body=b'<!ENTITY a "b">', headers={"Content-Type": "application/xml-dtd"}))
    document = _documents(secret, dtd_url)[case]
    server.route("GET", f"/{operation}", Reply(body=document, headers={"Content-Type": "application/xml"}))
    raised = _watched(package, flavour, server.url, operation)
    assert isinstance(raised, package.APIResponseValidationError), raised
    assert raised.status_code == 200
    assert raised.body == document.decode("utf-8", errors="replace") or raised.body == raised.response.text
    assert raised.response.content == document  # the body is kept as it came
    assert other_server.hits() == 0, "the client fetched the external DTD or entity"
    assert not [p for p in _WATCH.opened if "secret" in p], _WATCH.opened
    # The only connection is the call itself, to the server that answered it.
    assert all(getattr(a, "__getitem__", None) and a[1] == server.port for a in _WATCH.connected if a), \
        _WATCH.connected
    assert SECRET_TEXT not in str(raised)


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_xinclude_is_left_an_element_and_nothing_is_read(package: ModuleType, server: Server, secret: Path,
                                                         flavour: str) -> None:
    document = (f'<?xml version="1.0"?><r xmlns:xi="http://www.w3.org/2001/XInclude"><a>x</a>'
                f'<xi:include href="{secret.as_uri()}" parse="text"/></r>').encode()
    for operation in ("typed", "untyped"):
        server.route("GET", f"/{operation}", Reply(body=document, headers={"Content-Type": "application/xml"}))
    typed = _watched(package, flavour, server.url, "typed")
    assert typed.a == "x"
    untyped = _watched(package, flavour, server.url, "untyped")
    include = untyped.find("{http://www.w3.org/2001/XInclude}include")
    assert include is not None and include.get("href") == secret.as_uri() and include.text is None
    assert not [p for p in _WATCH.opened if "secret" in p], _WATCH.opened
    assert SECRET_TEXT not in repr(typed)


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_a_document_that_is_not_well_formed_is_refused(package: ModuleType, server: Server, flavour: str) -> None:
    server.route("GET", "/typed", Reply(body=b"<r><a>x</r>", headers={"Content-Type": "application/xml"}))
    raised = _watched(package, flavour, server.url, "typed")
    assert isinstance(raised, package.APIResponseValidationError)
    assert "not a well-formed XML document" in str(raised) and raised.body == "<r><a>x</r>"


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_a_safe_document_is_read(package: ModuleType, server: Server, flavour: str) -> None:
    server.route("GET", "/typed", Reply(body=b"<?xml version='1.0' encoding='UTF-8'?><r><a>\xc3\xa9</a></r>",
                                        headers={"Content-Type": "application/xml"}))
    assert _watched(package, flavour, server.url, "typed").a == "é"
