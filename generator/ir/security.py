"""Security schemes: which credentials the client takes, and how each is put on a request."""

from __future__ import annotations

import codecs
import dataclasses

from .. import names
from ..resolve import Cursor, ResolvedSpec
from ..spec_walk import TEMPLATE_VAR
from . import extensions as ext
from .environment import check_unique, scheme_env
from .model import (AuthKind, ParamLocation, PythonIdentifier, SecurityScheme, SignedFields, Signing, TokenEndpoint,
                    TokenPlacement)

_SUPPORTED_HTTP = {"basic": AuthKind.BASIC, "bearer": AuthKind.BEARER}
_SIGNING_VALUES = frozenset({"timestamp", "nonce", "method", "path", "canonical"})


def build_security(
    spec: ResolvedSpec, problems: ext.Problems
) -> tuple[tuple[SecurityScheme, ...], dict[str, PythonIdentifier | None]]:
    """The supported schemes, and a map from each spec name to its key (None: not supported)."""
    schemes: list[SecurityScheme] = []
    keys: dict[str, PythonIdentifier | None] = {}
    taken: set[str] = set()
    env_sites = []
    for name, raw in spec.cursor.child("components").child("securitySchemes").items():
        cursor = spec.deref(raw)
        value = cursor.value if isinstance(cursor.value, dict) else {}
        key = PythonIdentifier(names.unique(names.identifier(name, fallback="auth"), taken))
        kind = _kind(value)
        if kind is None:
            problems.style(cursor, "L-AUTH-UNSUPPORTED", f"security scheme {name!r} ({value.get('type')}) is not supported",
                           "operations that can only use it are sent without credentials; use basic, bearer, "
                           "apiKey or oauth2")
            keys[name] = None
            continue
        keys[name] = key
        scheme = _scheme(key, kind, cursor, problems)
        scheme = dataclasses.replace(scheme, env=scheme_env(cursor, (*scheme.credentials, *scheme.options), problems))
        node = cursor.child(ext.ENV)
        env_sites += [(node.child(argument) if isinstance(node.value, dict) else node, argument, variable)
                      for argument, variable in scheme.env]
        schemes.append(scheme)
    check_unique(env_sites, problems)
    return tuple(schemes), keys


def auth_header(scheme: SecurityScheme) -> tuple[str, str]:
    """The header a scheme writes ("" when it writes none), and the form of its value: two schemes of one
    requirement can share a header only when they write it alike (two bearer tokens)."""
    if scheme.kind is AuthKind.API_KEY:
        header = scheme.parameter if scheme.location is ParamLocation.HEADER else ""
        return header, f"api key {scheme.template}"
    bearer = scheme.kind in (AuthKind.BEARER, AuthKind.OAUTH2_CLIENT_CREDENTIALS)
    return "Authorization", "bearer" if bearer else scheme.kind.value


def _kind(value: dict[str, object]) -> AuthKind | None:
    scheme_type = value.get("type")
    if scheme_type == "http":
        return _SUPPORTED_HTTP.get(str(value.get("scheme", "")).lower())
    if scheme_type == "oauth2":
        flows = value.get("flows")
        if isinstance(flows, dict) and "clientCredentials" in flows:
            return AuthKind.OAUTH2_CLIENT_CREDENTIALS
        return AuthKind.BEARER
    if scheme_type == "openIdConnect":
        return AuthKind.BEARER
    if scheme_type == "apiKey":
        return AuthKind.API_KEY
    return None


def _scheme(key: PythonIdentifier, kind: AuthKind, cursor: Cursor, problems: ext.Problems) -> SecurityScheme:
    value = cursor.value
    description = str(value["description"]) if isinstance(value.get("description"), str) else ""
    for extension, wanted, label in ((ext.CHARSET, AuthKind.BASIC, "http basic"),
                                     (ext.TOKEN_URL_PLACEHOLDER, AuthKind.OAUTH2_CLIENT_CREDENTIALS,
                                      "client credentials")):
        if extension in value and kind is not wanted:
            problems.error(cursor.child(extension), "E-EXTENSION", f"{extension} applies to {label} schemes only",
                           "remove it, or move it to the scheme it describes")
    if kind is AuthKind.BASIC:
        creds = (PythonIdentifier("username"), PythonIdentifier("password"))
        return SecurityScheme(key=key, kind=kind, credentials=creds, description=description,
                              charset=_charset(cursor, problems))
    if kind is AuthKind.BEARER:
        return SecurityScheme(key=key, kind=kind, credentials=(PythonIdentifier("access_token"),), description=description)
    if kind is AuthKind.OAUTH2_CLIENT_CREDENTIALS:
        creds = (PythonIdentifier("client_id"), PythonIdentifier("client_secret"))
        return SecurityScheme(key=key, kind=kind, credentials=creds, description=description,
                              token=_token(cursor, problems), options=(PythonIdentifier("token_url"),))
    template = ext.text(cursor, ext.VALUE, problems) or "{api_key}"
    credentials = _placeholders(cursor.child(ext.VALUE), template, problems, reserved=frozenset())
    if not credentials:
        problems.error(cursor.child(ext.VALUE), "E-EXTENSION", f"{ext.VALUE} has no {{placeholder}}",
                       "name the credential, e.g. 'Token {api_key}'")
    signing = _signing(cursor.child(ext.SIGNING), problems) if ext.SIGNING in value else None
    if signing is not None:
        texts = [*signing.string_to_sign, *(v for _, v in signing.headers)]
        extra = [c for t in texts for c in _placeholders(cursor.child(ext.SIGNING), t, problems, _SIGNING_VALUES)]
        credentials = list(dict.fromkeys([*credentials, *extra, signing.secret]))
    location = value.get("in") if value.get("in") in ("header", "query", "cookie") else "header"
    return SecurityScheme(key=key, kind=kind, location=ParamLocation(location), parameter=str(value.get("name", "")),
                          template=template, credentials=tuple(credentials), description=description, signing=signing)


def _placeholders(cursor: Cursor, template: str, problems: ext.Problems,
                  reserved: frozenset[str]) -> list[PythonIdentifier]:
    found: list[PythonIdentifier] = []
    for placeholder in TEMPLATE_VAR.findall(template):
        if placeholder in reserved:
            continue
        ident = names.identifier(placeholder, reserved=names.RESERVED_CLIENT_ARGUMENTS)
        if ident != placeholder:
            problems.error(cursor, "E-EXTENSION", f"placeholder {{{placeholder}}} is not a plain lower-case name",
                           "use names like {api_key} or {username}; they become client arguments")
        elif ident not in found:
            found.append(ident)
    return found


def _signing(cursor: Cursor, problems: ext.Problems) -> Signing | None:
    if not isinstance(cursor.value, dict):
        problems.error(cursor, "E-EXTENSION", f"{ext.SIGNING} must be a mapping", "see docs/spec-conventions.md")
        return None
    if cursor.value.get("algorithm", "hmac-sha256") != "hmac-sha256":
        problems.error(cursor.child("algorithm"), "E-EXTENSION", "only 'hmac-sha256' signing is supported",
                       "set 'algorithm: hmac-sha256'")
    choices = {choice.value: choice for choice in SignedFields}
    fields = choices.get(ext.text(cursor, "fields", problems) or SignedFields.QUERY_FOR_GET_ELSE_FORM.value)
    if fields is None:
        problems.error(cursor.child("fields"), "E-EXTENSION", f"'fields' must be one of {', '.join(choices)}",
                       "say which values are signed")
    headers = cursor.value.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        problems.error(cursor.child("headers"), "E-EXTENSION", "'headers' must map header names to templates",
                       "e.g. X-Timestamp: \"{timestamp}\"")
        headers = {}
    secret = ext.text(cursor, "secret", problems) or "api_secret"
    return Signing(
        secret=names.identifier(secret),
        string_to_sign=ext.strings(cursor, "string-to-sign", problems, required=True),
        signature_header=ext.text(cursor, "signature-header", problems) or "X-Signature",
        headers=tuple((str(k), str(v)) for k, v in headers.items()),
        fields=fields or SignedFields.QUERY_FOR_GET_ELSE_FORM,
        canonical_line=ext.text(cursor, "canonical-line", problems) or "{key}={value}",
        nonce_bytes=int(ext.number(cursor, "nonce-bytes", problems, 16.0)),
    )


def _charset(cursor: Cursor, problems: ext.Problems) -> str:
    """The charset Basic credentials are encoded in: "" for UTF-8 (RFC 7617), else a codec that writes
    ASCII as ASCII (so the `:` between the two stays one byte)."""
    name = ext.text(cursor, ext.CHARSET, problems)
    if name is None:
        return ""
    try:
        codec = codecs.lookup(name).name
        fits = "user:x".encode(name) == b"user:x"
    except LookupError:
        codec, fits = "", False
    if not fits:
        problems.error(cursor.child(ext.CHARSET), "E-EXTENSION", f"{ext.CHARSET} {name!r} is not a charset that "
                       "writes ASCII as ASCII", "use a name such as iso-8859-1, or leave it out for UTF-8")
        return ""
    return "" if codec == "utf-8" else name.lower()


def _token(cursor: Cursor, problems: ext.Problems) -> TokenEndpoint:
    flow = cursor.child("flows").child("clientCredentials")
    url = flow.value.get("tokenUrl") if isinstance(flow.value, dict) else None
    placements = {placement.value: placement for placement in TokenPlacement}
    placement = placements.get(ext.text(cursor, ext.TOKEN_REQUEST, problems) or TokenPlacement.FORM.value)
    if placement is None:
        problems.error(cursor.child(ext.TOKEN_REQUEST), "E-EXTENSION", f"{ext.TOKEN_REQUEST} must be form or query",
                       "say where client_id and client_secret are sent")
        placement = TokenPlacement.FORM
    return TokenEndpoint(
        url=url if isinstance(url, str) else "",
        placement=placement,
        lifetime=ext.number(cursor, ext.TOKEN_LIFETIME, problems, 3600.0),
        scopes=(),  # the provider's default scopes for the client
        placeholder=bool(ext.flag(cursor, ext.TOKEN_URL_PLACEHOLDER, problems)),
    )
