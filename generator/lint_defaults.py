"""Every schema `default` checked against its own schema (L-DEFAULT-INVALID), with its position.

OpenAPI says a default must fit its schema; real specs often break that (`default: "false"` on a
boolean). Nothing in a client depends on a default (the models leave out one that does not fit), so
this is house style: an error for our specs, a warning for any other.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from .diagnostics import Diagnostic, Severity
from .resolve import ResolvedSpec
from .schema_check import ExampleChecker
from .schema_sites import schema_objects


def invalid_defaults(spec: ResolvedSpec, checker: ExampleChecker, style: Severity) -> Iterator[Diagnostic]:
    for schema in schema_objects(spec):
        if "default" not in schema.value or "$ref" in schema.value:
            continue
        problems = checker.problems(schema, schema.value["default"], writing=False)
        if problems:
            where = schema.child("default")
            text = json.dumps(schema.value["default"], ensure_ascii=False)
            shown = text if len(text) <= 40 else text[:37] + "..."
            yield Diagnostic(severity=style, code="L-DEFAULT-INVALID",
                             message=f"default {shown} does not fit its schema: {problems[0]}",
                             location=where.doc.locate(where.pointer),
                             hint="fix the default or the schema; the generated models leave out a default that "
                                  "does not fit")
