"""The oracle catches a wrong client: each test breaks one thing in a generated package and expects a Mismatch.

Also shows that openapi-core runs on the validator versions the generator pins (it is installed without
its version caps, see tests/oracle/requirements.txt): a spec with references, formats and a body loads,
and a valid request passes while an invalid one is refused.
"""

from __future__ import annotations

import importlib
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings

from .conftest import vendor
from .corpus_packages import corpus_package
from .harness import Case, Draw, Mismatch, Package
from .wire import WireRequest

pytestmark = pytest.mark.filterwarnings("ignore:Unsupported scheme type:UserWarning")


def _case(package: Package, operation_id: str) -> Case:
    return next(c for c in package.cases() if c.op.operation_id == operation_id)


def _runtime(package: Package, module: str) -> Any:
    return importlib.import_module(f"{package.api.package.module}.{module}")


def test_a_dropped_query_value_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    styles = corpus_package("styles")
    case = _case(styles, "query_form_true_array")
    request_module = _runtime(styles, "_request")
    real = request_module.query_items
    monkeypatch.setattr(request_module, "query_items", lambda *a, **k: real(*a, **k)[:-1])
    with pytest.raises(Mismatch, match="query parameter 'color'"):
        case.check(Draw(params={("query", "color"): ["a", "b"]}), use_async=False)


def test_a_path_value_left_unencoded_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    styles = corpus_package("styles")
    case = _case(styles, "reserved")
    monkeypatch.setattr(_runtime(styles, "_request"), "path_expansion", lambda name, value, *_: str(value))
    with pytest.raises(Mismatch):
        case.check(Draw(params={("path", "id"): "a?b=c"}), use_async=False)


def test_a_body_field_sent_under_its_python_name_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    carehq = vendor("carehq")
    case = _case(carehq, "care_enquiries_create")
    form = _runtime(carehq, "_request")
    real = form.form_body
    monkeypatch.setattr(form, "form_body", lambda body, enc, *rest: real({f"x_{k}": v for k, v in body.items()}, enc, *rest))

    @settings(max_examples=5, derandomize=True, phases=[Phase.generate], database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case.strategy().filter(lambda d: isinstance(d.body, dict) and any(
        v is not None and v != [] for v in d.body.values())))
    def check(draw: Draw) -> None:
        case.check(draw, use_async=False)

    with pytest.raises(Mismatch):
        check()


def test_an_answer_parsed_wrong_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    casebook = vendor("casebook")
    case = next(c for c in casebook.cases() if c.answer_media is not None and c.op.pagination is None)
    base = _runtime(casebook, "_base_client")
    real = base.parse_json

    def forgetful(tp: Any, response: httpx.Response) -> Any:
        parsed = real(tp, response)
        data = getattr(parsed, "data", None)
        if data is not None and hasattr(data, "attributes"):
            object.__setattr__(data, "attributes", None)
        return parsed

    monkeypatch.setattr(base, "parse_json", forgetful)

    @settings(max_examples=10, derandomize=True, phases=[Phase.generate], database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case.strategy())
    def check(draw: Draw) -> None:
        case.check(draw, use_async=False)

    with pytest.raises(Mismatch, match="answer parsed as"):
        check()


def test_openapi_core_runs_on_the_pinned_validators() -> None:
    commcare = vendor("commcare")
    good = httpx.Request("GET", "https://www.commcarehq.org/a/demo/api/case/v2/?limit=5",
                         headers={"Authorization": "ApiKey u:k"})
    bad = httpx.Request("GET", "https://www.commcarehq.org/a/demo/api/case/v2/?limit=many",
                        headers={"Authorization": "ApiKey u:k"})
    assert not commcare.openapi.unmarshal_request(WireRequest(good)).errors
    assert commcare.openapi.unmarshal_request(WireRequest(bad)).errors
