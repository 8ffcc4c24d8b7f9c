"""Fixtures shared by the robustness tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def generator_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache of the generator's own for this session: shared by its runs, never the user's one."""
    chosen = tmp_path_factory.mktemp("careforge-cache")
    before = os.environ.get("CAREFORGE_CACHE_DIR")
    os.environ["CAREFORGE_CACHE_DIR"] = str(chosen)
    try:
        yield chosen
    finally:
        if before is None:
            del os.environ["CAREFORGE_CACHE_DIR"]
        else:
            os.environ["CAREFORGE_CACHE_DIR"] = before


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for every package checked: the standard library, httpx and pydantic are analysed once."""
    return tmp_path_factory.mktemp("robustness-mypy-cache")
