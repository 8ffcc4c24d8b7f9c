"""generator/names.py: every identifier in generated code is made here, so it must always be safe."""

from __future__ import annotations

import builtins
import keyword

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import escape, names


@pytest.mark.parametrize(("text", "expected"), [
    ("caseId", "case_id"),
    ("CaseID", "case_id"),
    ("HTTPServer", "http_server"),
    ("getHTTPResponseCode", "get_http_response_code"),
    ("X-Request-ID", "x_request_id"),
    ("page[size]", "page_size"),
    ("foo--bar", "foo_bar"),
    ("v0.5", "v0_5"),
    ("Café", "cafe"),
    ("__private__", "private"),
    ("mobile workers", "mobile_workers"),
])
def test_identifier_is_snake_case(text: str, expected: str) -> None:
    assert names.identifier(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("class", "class_"),
    ("from", "from_"),
    ("None", "none"),  # lower-cased first, so no longer a keyword
    ("async", "async_"),
    ("await", "await_"),
    ("lambda", "lambda_"),
])
def test_keywords_get_a_trailing_underscore(text: str, expected: str) -> None:
    assert names.identifier(text) == expected


@pytest.mark.parametrize("text", ["type", "id", "list", "filter", "format", "input", "print", "hash", "min"])
def test_builtins_are_allowed_as_argument_names(text: str) -> None:
    # Generated code reaches builtins through `builtins.`, so a parameter may shadow them.
    assert hasattr(builtins, text)
    assert names.identifier(text) == text


@pytest.mark.parametrize("text", sorted(names.RESERVED_ARGUMENTS))
def test_reserved_argument_names_are_avoided(text: str) -> None:
    assert names.identifier(text, reserved=names.RESERVED_ARGUMENTS) == text + "_"
    assert names.identifier(text) == text  # only where the caller says they are taken


@pytest.mark.parametrize("text", ["close", "with_options", "base_url", "request", "http_client"])
def test_reserved_client_attributes_are_avoided(text: str) -> None:
    assert names.identifier(text, reserved=names.RESERVED_CLIENT_ATTRIBUTES) == text + "_"


@pytest.mark.parametrize(("text", "fallback", "expected"), [
    ("", "value", "value"),
    ("日本語", "value", "value"),
    ("---", "call", "call"),
    ("2fa", "value", "value_2fa"),
    ("200", "status", "status_200"),
])
def test_identifier_fallbacks(text: str, fallback: str, expected: str) -> None:
    assert names.identifier(text, fallback=fallback) == expected


def test_identifier_does_not_depend_on_the_interpreters_soft_keywords(monkeypatch: pytest.MonkeyPatch) -> None:
    # Python 3.12's soft keywords; soft keywords are valid names, so none of them needs a suffix.
    softkw = frozenset({"_", "case", "match", "type"})
    monkeypatch.setattr(keyword, "issoftkeyword", softkw.__contains__)
    assert names.identifier("type") == "type"


@pytest.mark.parametrize(("text", "expected"), [
    ("case", "Case"),
    ("mobile_workers", "MobileWorkers"),
    ("mobile-worker create", "MobileWorkerCreate"),
    ("HTTPServer", "HTTPServer"),
    ("v0.5", "V05"),
    ("", "Model"),
    ("2fa", "Model2fa"),
])
def test_class_name_is_pascal_case(text: str, expected: str) -> None:
    assert names.class_name(text) == expected


@pytest.mark.parametrize("text", ["BaseModel", "Field", "List", "Any", "Optional", "Enum", "Exception", "ValueError",
                                  "OpenStrEnum", "NotGiven", "None", "True", "False", "type", "list"])
def test_class_names_never_shadow_what_generated_modules_use(text: str) -> None:
    made = names.class_name(text)
    assert made not in names.RESERVED_CLASS_NAMES
    assert not keyword.iskeyword(made)
    assert made.startswith(text[:1].upper())


def test_class_name_fallback_is_appended_to_a_reserved_name() -> None:
    assert names.class_name("Field", fallback="Resource") == "FieldResource"


def test_unique_numbers_repeats_and_records_them() -> None:
    taken: set[str] = set()
    assert [names.unique("item", taken) for _ in range(3)] == ["item", "item2", "item3"]
    assert taken == {"item", "item2", "item3"}
    assert names.unique("other", taken) == "other"


def test_unique_skips_a_taken_numbered_name() -> None:
    taken = {"item", "item2"}
    assert names.unique("item", taken) == "item3"


@given(st.text())
def test_identifier_is_always_safe(text: str) -> None:
    made = names.identifier(text, reserved=names.RESERVED_ARGUMENTS)
    assert made.isidentifier() and made.isascii() and not keyword.iskeyword(made)
    assert made not in names.RESERVED_ARGUMENTS
    assert made == made.lower()
    assert str(escape.name(made)) == str(made)  # the view's own check accepts it


@given(st.text())
def test_class_name_is_always_safe(text: str) -> None:
    made = names.class_name(text)
    assert made.isidentifier() and made.isascii() and not keyword.iskeyword(made)
    assert made not in names.RESERVED_CLASS_NAMES
    assert made[0].isupper()
    assert str(escape.name(made)) == str(made)


@given(st.lists(st.sampled_from(["a", "a2", "b", "a3"]), max_size=12))
def test_unique_never_hands_out_a_name_twice(requests: list[str]) -> None:
    taken: set[str] = set()
    given_out = [names.unique(r, taken) for r in requests]
    assert len(given_out) == len(set(given_out))


def test_first_free_numbers_from_two_with_the_separator_and_asks_only_the_test() -> None:
    taken = {"pet", "pet_2"}
    assert names.first_free("pet", taken.__contains__, separator="_") == "pet_3"
    assert names.first_free("Pet", lambda name: name.lower() in taken) == "Pet2"
    assert names.first_free("dog", taken.__contains__) == "dog" and taken == {"pet", "pet_2"}
