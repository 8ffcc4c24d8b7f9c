"""openapi-spec-validator as Careforge runs it: the checks lint makes (and can locate) left to lint."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import jsonschema.exceptions
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.validation import exceptions as osv_errors
from openapi_spec_validator.validation import keywords as osv_keywords

from .spec_walk import TEMPLATE_VAR

# Checked by lint, which can say where: the validator's versions carry no position.
OWN_CHECKS = (
    osv_errors.DuplicateOperationIDError,
    osv_errors.UnresolvableParameterError,
    osv_errors.ExtraParametersError,
    osv_errors.ParameterDuplicateError,
)


class _DefaultsByLint(osv_keywords.KeywordValidator):
    """`default` values are checked by lint (L-DEFAULT-INVALID), which can say where they are."""

    def __call__(self, schema: object, value: object) -> Iterator[jsonschema.exceptions.ValidationError]:
        return iter(())


class _TemplatesByLint(osv_keywords.OperationValidator):
    """Path template variables as lint reads them: the validator's own reading (str.format syntax)
    raises on a name such as `id[0`, which OpenAPI allows; its findings about them are lint's anyway."""

    def _get_path_params_from_url(self, url: str) -> Iterator[str]:
        return iter(TEMPLATE_VAR.findall(url))


class _Ids(list[int]):
    """The schema walk's "seen" lists, asked `id in seen` once per schema: with a set beside the list
    that question is O(1), not a scan (on GitHub's spec the scans were most of the validator's time)."""

    def __init__(self) -> None:
        super().__init__()
        self._seen: set[int] = set()

    def append(self, value: int) -> None:
        super().append(value)
        self._seen.add(value)

    def __contains__(self, value: object) -> bool:
        return value in self._seen


class _V30Schemas(osv_keywords.OpenAPIV30SchemaValidator):
    def __init__(self, registry: Any) -> None:
        super().__init__(registry)
        self.visited_schema_ids, self.meta_checked_schema_ids = _Ids(), _Ids()


class _V31Schemas(osv_keywords.OpenAPIV31SchemaValidator):
    def __init__(self, registry: Any) -> None:
        super().__init__(registry)
        self.visited_schema_ids, self.meta_checked_schema_ids = _Ids(), _Ids()


class _V30Validator(OpenAPIV30SpecValidator):
    keyword_validators = {**OpenAPIV30SpecValidator.keyword_validators, "default": _DefaultsByLint,
                          "operation": _TemplatesByLint, "schema": _V30Schemas}


class _V31Validator(OpenAPIV31SpecValidator):
    keyword_validators = {**OpenAPIV31SpecValidator.keyword_validators, "default": _DefaultsByLint,
                          "operation": _TemplatesByLint, "schema": _V31Schemas}


_Classes = tuple[type[OpenAPIV30SpecValidator], type[OpenAPIV31SpecValidator]]


def _with_shape_check(create: Callable[[dict[str, Any]], Any]) -> _Classes:
    """Our validators, with the document's own shape checked by what `create` makes of OpenAPI's schemas."""
    from openapi_spec_validator.schemas import schema_v30, schema_v31

    class V30(_V30Validator):
        schema_validator = create(dict(schema_v30))

    class V31(_V31Validator):
        schema_validator = create(dict(schema_v31))

    return V30, V31


@functools.cache
def _python() -> _Classes:
    """The shape checked by jsonschema (Python), whatever backend the validator would pick by itself:
    its errors carry the keyword and the failing value that the messages are made of."""
    from openapi_spec_validator.schemas.backend.jsonschema import create_validator

    return _with_shape_check(create_validator)


@functools.cache
def _compiled() -> _Classes | None:
    try:
        from openapi_spec_validator.schemas.backend.jsonschema_rs import create_validator, has_jsonschema_rs_validators
    except ImportError:
        return None
    return _with_shape_check(create_validator) if has_jsonschema_rs_validators() else None


def _pick(classes: _Classes, version: str, data: Any, base_uri: str) -> OpenAPIV30SpecValidator | OpenAPIV31SpecValidator:
    cls = classes[0] if version.startswith("3.0") else classes[1]
    return cls(data, base_uri=base_uri)


def validator_for(version: str, data: Any, base_uri: str) -> OpenAPIV30SpecValidator | OpenAPIV31SpecValidator:
    return _pick(_python(), version, data, base_uri)


def gate_for(version: str, data: Any, base_uri: str) -> OpenAPIV30SpecValidator | OpenAPIV31SpecValidator | None:
    """The same checks with the document's own shape checked by jsonschema-rs (compiled, several times
    faster), or None without it. Its errors lose what the messages need (the keyword, the failing
    value), so it only says "nothing found"; anything it finds is found again by `validator_for`."""
    classes = _compiled()
    return None if classes is None else _pick(classes, version, data, base_uri)
