"""The client classes: constructor arguments, security schemes, top-level resources."""

from __future__ import annotations

from ..escape import Code, doc, literal, name, tuple_of
from ..ir.model import Api, AuthKind, PythonIdentifier, SecurityScheme
from .model import ArgView, ChildView, ClientView, SchemeView

_CREDENTIAL_DOCS = {
    "username": "user name for Basic or API-key authentication",
    "password": "password for Basic authentication",
    "access_token": "OAuth2 / bearer access token",
    "api_key": "API key",
}


def credential_names(api: Api) -> tuple[PythonIdentifier, ...]:
    found: list[PythonIdentifier] = []
    for scheme in api.security_schemes:
        for credential in scheme.credentials:
            if credential not in found:
                found.append(credential)
    return tuple(found)


def _scheme_spec(scheme: SecurityScheme) -> Code:
    kind = {AuthKind.BASIC: "basic", AuthKind.BEARER: "bearer", AuthKind.API_KEY: "api_key"}[scheme.kind]
    credentials = tuple_of([literal(c) for c in scheme.credentials])
    parts = [f"kind={literal(kind)}", f"credentials={credentials}"]
    if scheme.kind is AuthKind.API_KEY:
        parts += [f"location={literal(scheme.location.value)}", f"parameter={literal(scheme.parameter)}",
                  f"template={literal(scheme.template)}"]
    return Code(f"SchemeSpec({', '.join(parts)})")


def _credential_doc(api: Api, credential: str) -> str:
    users = [s for s in api.security_schemes if credential in s.credentials]
    described = next((s.description for s in users if s.kind is AuthKind.API_KEY and s.description), "")
    return described or _CREDENTIAL_DOCS.get(credential, f"credential for {', '.join(s.key for s in users)}")


def client_view(api: Api, children: tuple[ChildView, ...]) -> ClientView:
    credentials = credential_names(api)
    params = api.client_parameters
    default = api.servers[0].url if api.servers and "://" in api.servers[0].url else None
    package = api.package
    description = api.description.strip().split("\n\n")[0] if api.description.strip() else ""
    return ClientView(
        sync_class=name(package.client),
        async_class=name(package.async_client),
        doc=doc(f"{package.title} API client.\n\n{description}".strip()),
        default_base_url=literal(default),
        user_agent=literal(f"{package.distribution}/{package.version}"),
        credentials=tuple(ArgView(name=name(c), doc=doc(" ".join(_credential_doc(api, c).split())))
                          for c in credentials),
        client_parameters=tuple(ArgView(name=name(p.name), doc=doc(" ".join(p.description.split())))
                                for p in params),
        schemes=tuple(SchemeView(key=literal(s.key), spec=_scheme_spec(s)) for s in api.security_schemes),
        children=children,
        credentials_dict=Code("{" + ", ".join(f"{literal(c)}: {name(c)}" for c in credentials) + "}"),
        client_parameters_dict=Code("{" + ", ".join(f"{literal(p.name)}: {name(p.name)}" for p in params) + "}"),
    )
