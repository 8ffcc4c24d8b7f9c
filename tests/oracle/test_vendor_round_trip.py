"""Every operation of the four vendor packages, sync and async, judged by openapi-core (see harness.py)."""

from __future__ import annotations

import pytest
import os

from hypothesis import HealthCheck, Phase, given, settings

from .conftest import VENDORS, vendor
from .harness import Case

EXAMPLES = 8  # per operation and direction; derandomized, so a run is repeatable
# Shrinking a failure to its smallest example can take minutes; CAREFORGE_ORACLE_SHRINK=1 turns it on.
PHASES = [Phase.explicit, Phase.generate] + ([Phase.shrink] if os.environ.get("CAREFORGE_ORACLE_SHRINK") else [])


def _cases() -> list[pytest.param]:
    return [pytest.param(name, case.id, id=f"{name}:{case.id}") for name in VENDORS for case in vendor(name).cases()]


def _case(name: str, case_id: str) -> Case:
    return next(c for c in vendor(name).cases() if c.id == case_id)


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
