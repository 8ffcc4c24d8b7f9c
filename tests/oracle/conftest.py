"""The oracle's packages: the vendor packages as generated, loaded once per worker."""

from __future__ import annotations

import functools
from pathlib import Path

from .harness import Package, load_package

REPO = Path(__file__).resolve().parents[2]
VENDORS = ("caqh", "caqh_profile", "carehq", "casebook", "commcare")


@functools.cache
def vendor(name: str) -> Package:
    spec = REPO / "specs" / name
    rules = spec / "rules.toml"
    return load_package(spec / "openapi.yaml", rules if rules.is_file() else None, REPO / "generated" / name)
