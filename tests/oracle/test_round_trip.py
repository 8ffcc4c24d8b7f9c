"""Every operation of the vendor packages and of the feature corpus, sync and async, judged by openapi-core
(see harness.py)."""

from __future__ import annotations

import pytest
import os

from hypothesis import HealthCheck, Phase, given, settings

from .conftest import VENDORS, vendor
from .corpus_packages import SPECS, corpus_package
from .harness import Case, Package, xml_reason
from .unread import BY_BYTES, named as _named

EXAMPLES = 8  # per operation and direction; derandomized, so a run is repeatable
# Shrinking a failure to its smallest example can take minutes; CAREFORGE_ORACLE_SHRINK=1 turns it on.
PHASES = [Phase.explicit, Phase.generate] + ([Phase.shrink] if os.environ.get("CAREFORGE_ORACLE_SHRINK") else [])


def _package(name: str) -> Package:
    return vendor(name) if name in VENDORS else corpus_package(name)


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
