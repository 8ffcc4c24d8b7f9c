"""A made-up string for a schema's `pattern` is found by that pattern, as the regex engine itself says."""

from __future__ import annotations

import re

import pytest
import regex

from generator.ir.pattern_sample import pattern_sample

# Patterns from the real-world sample (tests/realworld/) and from JSON Schema's own examples.
PATTERNS = [
    r"^[A-Z]{2}$",
    r"^\d{3}-\d{4}$",
    r"^(\([0-9]{3}\))?[0-9]{3}-[0-9]{4}$",
    r"^[+]*[(]{0,1}[0-9]{1,4}[)]{0,1}[-\s\./0-9]*$",
    r"^[a-zA-Z0-9_.-]*$",
    r"^[^\d\s]+$",
    r"^(a|bc)+x?$",
    r"^dpl_[a-zA-Z0-9]+$",
    r"^v\d+$",
    r"[^a-z]",
    r"^\w+@\w+\.com$",
    r"^[\w-]{3,}$",
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    r"^\p{L}+$",
    r"^[\p{Lu}][\p{Ll}]*$",
    r"^(?:foo|bar)-(?P<n>\d+)$",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_sample_matches_its_pattern(pattern: str) -> None:
    found = pattern_sample(pattern)
    assert found is not None
    assert regex.search(pattern, found), (pattern, found)


def test_a_pattern_python_cannot_read_gives_none_and_the_caller_falls_back() -> None:
    assert pattern_sample(r"^\p{Script=Greek}+$") is None
    assert pattern_sample("(unclosed") is None


def test_lookaheads_are_not_honoured_so_the_sample_is_checked_before_use() -> None:
    # The sampler checks every made-up value against its schema; a miss here becomes a skip with the reason.
    sample = pattern_sample(r"^(?=.*\d)[a-z\d]{4,8}$")
    assert sample == "aaaa" and not regex.search(r"^(?=.*\d)[a-z\d]{4,8}$", sample)


def test_samples_are_the_same_every_time() -> None:
    assert [pattern_sample(p) for p in PATTERNS] == [pattern_sample(p) for p in PATTERNS]
    assert pattern_sample(r"^[A-Z]{2}-\d{3}$") == "AA-000"
    assert re.fullmatch(r"[a-z]+", pattern_sample(r"^[a-z]+$") or "")
