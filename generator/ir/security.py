"""Security schemes: which credentials the client takes, and how each is put on a request."""

from __future__ import annotations

import re

from .. import names
from ..resolve import Cursor, ResolvedSpec
from . import extensions as ext
from .model import AuthKind, ParamLocation, PythonIdentifier, SecurityScheme

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_SUPPORTED_HTTP = {"basic": AuthKind.BASIC, "bearer": AuthKind.BEARER}


def build_security(
    spec: ResolvedSpec, problems: ext.Problems
) -> tuple[tuple[SecurityScheme, ...], dict[str, PythonIdentifier | None]]:
    """The supported schemes, and a map from each spec name to its key (None: not supported)."""
    schemes: list[SecurityScheme] = []
    keys: dict[str, PythonIdentifier | None] = {}
    taken: set[str] = set()
    for name, raw in spec.cursor.child("components").child("securitySchemes").items():
        cursor = spec.deref(raw)
        value = cursor.value if isinstance(cursor.value, dict) else {}
        key = PythonIdentifier(names.unique(names.identifier(name, fallback="auth"), taken))
        description = str(value.get("description")) if isinstance(value.get("description"), str) else ""
        kind, scheme_type = None, value.get("type")
        if scheme_type == "http":
            kind = _SUPPORTED_HTTP.get(str(value.get("scheme", "")).lower())
        elif scheme_type in ("oauth2", "openIdConnect"):
            kind = AuthKind.BEARER
        elif scheme_type == "apiKey":
            kind = AuthKind.API_KEY
        if kind is None:
            problems.style(cursor, "L-AUTH-UNSUPPORTED", f"security scheme {name!r} ({scheme_type}) is not supported",
                           "operations that can only use it are sent without credentials; use basic, bearer, "
                           "apiKey or oauth2")
            keys[name] = None
            continue
        keys[name] = key
        schemes.append(_scheme(key, kind, cursor, description, problems))
    return tuple(schemes), keys


def _scheme(key: PythonIdentifier, kind: AuthKind, cursor: Cursor, description: str,
            problems: ext.Problems) -> SecurityScheme:
    value = cursor.value
    if kind is AuthKind.BASIC:
        creds = (PythonIdentifier("username"), PythonIdentifier("password"))
        return SecurityScheme(key=key, kind=kind, credentials=creds, description=description)
    if kind is AuthKind.BEARER:
        return SecurityScheme(key=key, kind=kind, credentials=(PythonIdentifier("access_token"),), description=description)
    template = ext.text(cursor, ext.VALUE, problems) or "{api_key}"
    placeholders = PLACEHOLDER.findall(template)
    credentials: list[PythonIdentifier] = []
    for placeholder in placeholders:
        ident = names.identifier(placeholder, reserved=names.RESERVED_CLIENT_ARGUMENTS)
        if ident != placeholder:
            problems.error(cursor.child(ext.VALUE), "E-EXTENSION",
                           f"placeholder {{{placeholder}}} is not a plain lower-case name",
                           "use names like {api_key} or {username}; they become client arguments")
        elif ident not in credentials:
            credentials.append(ident)
    if not placeholders:
        problems.error(cursor.child(ext.VALUE), "E-EXTENSION", f"{ext.VALUE} has no {{placeholder}}",
                       "name the credential, e.g. 'Token {api_key}'")
    location = value.get("in") if value.get("in") in ("header", "query", "cookie") else "header"
    return SecurityScheme(key=key, kind=kind, location=ParamLocation(location), parameter=str(value.get("name", "")),
                          template=template, credentials=tuple(credentials), description=description)
