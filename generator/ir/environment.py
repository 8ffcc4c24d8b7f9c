"""`x-careforge-env`: the environment variables a client reads for the arguments it was not given."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..resolve import Cursor, ResolvedSpec
from . import extensions as ext
from .model import PythonIdentifier, SecurityScheme

# Portable variable names (POSIX): what every shell and CI system can set.
_VARIABLE = re.compile(r"[A-Z_][A-Z0-9_]*")
_HINT = "see docs/spec-conventions.md"


def scheme_env(cursor: Cursor, arguments: tuple[PythonIdentifier, ...],
               problems: ext.Problems) -> tuple[tuple[PythonIdentifier, str], ...]:
    """On a security scheme: its client arguments mapped to variables (a plain name when it takes one)."""
    node = cursor.child(ext.ENV)
    value = node.value
    if value is None:
        return ()
    if isinstance(value, str) and len(arguments) == 1:
        value = {arguments[0]: value}
    if not isinstance(value, dict):
        problems.error(node, "E-EXTENSION", f"{ext.ENV} must map the scheme's arguments ({', '.join(arguments)}) "
                       "to variable names", "e.g. {username: ACME_USERNAME, password: ACME_PASSWORD}")
        return ()
    found = []
    for key, variable in value.items():
        if key not in arguments:
            problems.error(node.child(str(key)), "E-EXTENSION", f"{key!r} is not an argument of this scheme",
                           f"name one of {', '.join(arguments)}")
        elif _valid(node.child(key), variable, problems):
            found.append((PythonIdentifier(key), variable))
    return tuple(found)


def base_url_env(spec: ResolvedSpec, schemes: Iterable[SecurityScheme], problems: ext.Problems) -> str:
    """At the document root: `{base_url: NAME}`."""
    node = spec.cursor.child(ext.ENV)
    if node.value is None:
        return ""
    if not isinstance(node.value, dict) or set(node.value) != {"base_url"}:
        problems.error(node, "E-EXTENSION", f"{ext.ENV} at the document root must map base_url to a variable name",
                       "e.g. x-careforge-env: {base_url: ACME_BASE_URL}; credentials are named on their scheme")
        return ""
    variable = node.value["base_url"]
    if not _valid(node.child("base_url"), variable, problems):
        return ""
    if any(variable == v for s in schemes for _, v in s.env):
        problems.error(node.child("base_url"), "E-EXTENSION", f"{variable} also names a credential",
                       "give each client argument its own variable")
        return ""
    return str(variable)


def check_unique(sites: Iterable[tuple[Cursor, PythonIdentifier, str]], problems: ext.Problems) -> None:
    """An argument shared by several schemes has one variable, and a variable fills one argument."""
    by_argument: dict[str, str] = {}
    by_variable: dict[str, str] = {}
    for cursor, argument, variable in sites:
        if by_argument.setdefault(argument, variable) != variable:
            problems.error(cursor, "E-EXTENSION", f"{argument} is read from {by_argument[argument]} by another "
                           f"scheme, not {variable}", "name the same variable wherever the argument appears")
        elif by_variable.setdefault(variable, argument) != argument:
            problems.error(cursor, "E-EXTENSION", f"{variable} already fills {by_variable[variable]}",
                           "give each client argument its own variable")


def _valid(node: Cursor, variable: object, problems: ext.Problems) -> bool:
    if isinstance(variable, str) and _VARIABLE.fullmatch(variable):
        return True
    problems.error(node, "E-EXTENSION", f"{variable!r} is not an environment variable name",
                   f"capital letters, digits and underscores, not starting with a digit ({_HINT})")
    return False
