"""Every generated test, run again with each request also checked by Prism started from the vendor's spec.

What Prism cannot judge, and what covers it instead (loopback servers of our own, in tests/e2e):
- request signing (HMAC over method, path and parameters): Prism only sees that the headers are present;
  `test_carehq_loopback.py` verifies each signature on the server side, and tests/carehq_sdk compares
  signatures with the official SDK;
- batch polling (a write, then a result that changes from pending to done): Prism answers every poll
  with the same example; `test_caqh_loopback.py` serves a batch that finishes after some polls;
- pagination links (`links.next`, `meta.next`, cursors): Prism's examples point at the vendor's host;
  `test_casebook_loopback.py` and `test_commcare_loopback.py` serve real pages;
- XML request bodies: Prism validates them as plain strings, so the generated contract leaves its verdict on
  them out; tests/oracle/test_xml.py judges XML documents with XSDs, xmltodict and the Specification's examples.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from .prism import REPO, prism

VENDORS = sorted(p.name for p in (REPO / "generated").iterdir() if (p / "tests").is_dir())


@pytest.mark.parametrize("vendor", VENDORS)
def test_generated_tests_pass_against_the_mock_server(vendor: str) -> None:
    folder = REPO / "generated" / vendor
    with prism(REPO / "specs" / vendor / "openapi.yaml") as url:
        env = {**os.environ, "CAREFORGE_MOCK_SERVER": url, "PYTHONPATH": str(folder)}
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=folder,
                             env=env, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert " passed" in run.stdout


def _contract_module(vendor: str) -> ModuleType:
    path = REPO / "generated" / vendor / "tests" / "_contract.py"
    spec = importlib.util.spec_from_file_location(f"_contract_{vendor}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def test_a_request_the_mock_server_rejects_fails_with_its_reason() -> None:
    contract = _contract_module("carehq")
    with prism(REPO / "specs" / "carehq" / "openapi.yaml") as url:
        checker = contract.MockServer(url)
        bad = httpx.Request("GET", "https://api.carehq.co.uk/v1/locations?page=first")
        problems = checker.problems(bad, "/v1")
        good_path = checker.problems(httpx.Request("GET", "https://api.carehq.co.uk/v1/nowhere"), "/v1")
    assert any("page must be integer" in p for p in problems), problems
    assert any("security" in p.lower() for p in problems), problems
    assert good_path and all(p.startswith("mock server: ") for p in good_path), good_path


def test_the_mock_server_is_stopped_afterwards() -> None:
    with prism(REPO / "specs" / "caqh" / "openapi.yaml") as url:
        assert httpx.get(url + "/").status_code < 600
    with pytest.raises(httpx.TransportError):
        httpx.get(url + "/", timeout=2.0)
