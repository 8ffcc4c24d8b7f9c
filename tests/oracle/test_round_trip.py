"""Every operation of the vendor packages and of the feature corpus, sync and async, judged by openapi-core
(see harness.py)."""

from __future__ import annotations

import pytest
import os

from hypothesis import HealthCheck, Phase, given, settings

from .conftest import VENDORS, vendor
from .corpus_packages import SPECS, corpus_package
from .harness import Case, Package, xml_reason

# Where openapi-core 0.23 cannot read what the Specification defines, exact bytes judge instead.
BY_BYTES = {
    "styles": {
        "path_label": "openapi-core does not parse label-style path parameters (test_styles.py)",
        "path_matrix": "openapi-core does not parse matrix-style path parameters (test_styles.py)",
        "header_simple_true_object": "openapi-core does not parse exploded header objects (test_styles.py)",
        "query_form_true_object": "openapi-core does not parse exploded form objects (test_styles.py)",
        "query_space_delimited": "openapi-core does not split spaceDelimited values (test_styles.py)",
        "query_space_delimited_false_object": "openapi-core reads spaceDelimited objects as {} (test_styles.py)",
        "query_pipe_delimited_false_object": "openapi-core reads pipeDelimited objects as {} (test_styles.py)",
        "cookie_form_true": "openapi-core keeps one cookie of a name, so exploded cookies are lost (test_styles.py)",
    },
    "servers": {
        "files_upload": "a relative server is relative to where the document is served, which openapi-core has "
                        "no way to know; Careforge resolves it against base_url (test_servers.py)",
    },
    "models": {
        "shapes_point": "openapi-core cannot read `items: false` (a boolean schema) (test_models.py)",
    },
    "commcare": {
        # OpenAPI 3.1 specs: openapi-core 0.23's 3.1 validator refuses bytes for a `type: string` file part.
        "case_imports_create": "openapi-core refuses bytes in a 3.1 multipart file part (test_commcare_uploads.py "
                               "reads the parts with the standard library's MIME parser)",
        "lookup_tables_upload$": "openapi-core refuses bytes in a 3.1 multipart file part (test_commcare_uploads.py)",
        "applications_upload_multimedia": "openapi-core refuses bytes in a 3.1 multipart file part "
                                          "(test_commcare_uploads.py)",
    },
    "bodies": {
        "upload_": "openapi-core does not convert multipart text parts to their schema types (test_bodies.py)",
        "form_plain": "openapi-core does not read a JSON object in a form field (test_bodies.py)",
        "form_nested": "openapi-core does not read nested deepObject form fields (test_bodies.py)",
    },
}

EXAMPLES = 8  # per operation and direction; derandomized, so a run is repeatable
# Shrinking a failure to its smallest example can take minutes; CAREFORGE_ORACLE_SHRINK=1 turns it on.
PHASES = [Phase.explicit, Phase.generate] + ([Phase.shrink] if os.environ.get("CAREFORGE_ORACLE_SHRINK") else [])


def _package(name: str) -> Package:
    return vendor(name) if name in VENDORS else corpus_package(name)


def _named(operation_id: str, key: str) -> bool:
    """A key names the operations it starts, or exactly one when it ends with "$"."""
    return operation_id == key[:-1] if key.endswith("$") else operation_id.startswith(key)


def _cases() -> list[pytest.param]:
    params = []
    for name in (*VENDORS, *SPECS):
        for case in _package(name).cases():
            reason = next((why for prefix, why in BY_BYTES.get(name, {}).items()
                           if _named(case.op.operation_id, prefix)), None) or xml_reason(case.op)
            marks = [pytest.mark.skip(reason=reason)] if reason else []
            params.append(pytest.param(name, case.id, id=f"{name}:{case.id}", marks=marks))
    return params


def _case(name: str, case_id: str) -> Case:
    return next(c for c in _package(name).cases() if c.id == case_id)


# openapi-core does not check OAuth2 credentials ("Unsupported scheme type"); the bearer token is
# checked on the wire by tests/e2e/test_casebook_loopback.py.
@pytest.mark.filterwarnings("ignore:Unsupported scheme type:UserWarning")
@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("name", "case_id"), _cases())
def test_round_trip(name: str, case_id: str, use_async: bool) -> None:
    case = _case(name, case_id)

    @settings(max_examples=EXAMPLES, derandomize=True, phases=PHASES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case.strategy())
    def check(draw: object) -> None:
        case.check(draw, use_async=use_async)  # type: ignore[arg-type]

    check()
