"""openapi-spec-validator as Careforge runs it: the checks lint makes (and can locate) left to lint."""

from __future__ import annotations

from collections.abc import Iterator
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


class _V30Validator(OpenAPIV30SpecValidator):
    keyword_validators = {**OpenAPIV30SpecValidator.keyword_validators, "default": _DefaultsByLint,
                          "operation": _TemplatesByLint}


class _V31Validator(OpenAPIV31SpecValidator):
    keyword_validators = {**OpenAPIV31SpecValidator.keyword_validators, "default": _DefaultsByLint,
                          "operation": _TemplatesByLint}


def validator_for(version: str, data: Any, base_uri: str) -> OpenAPIV30SpecValidator | OpenAPIV31SpecValidator:
    cls = _V30Validator if version.startswith("3.0") else _V31Validator
    return cls(data, base_uri=base_uri)
