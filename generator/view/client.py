"""The client classes: constructor arguments, security schemes, top-level resources."""

from __future__ import annotations

import re

from ..escape import Code, doc, docstring, literal, name, tuple_of
from ..ir.model import Api, AuthKind, PythonIdentifier, SecurityScheme
from .imports import from_imports, names_in
from .model import (ArgView, ChildView, ClientTwinView, ClientView, EnvView, ImportView, SchemeView, TwinChildView,
                    WrapperTwinView)
from .wrappers import wrapper_classes

_CREDENTIAL_DOCS = {
    "username": "user name for Basic or API-key authentication",
    "password": "password for Basic authentication",
    "access_token": "OAuth2 / bearer access token",
    "api_key": "API key",
    "api_secret": "secret that signs each request (never sent)",
    "client_id": "OAuth2 client id",
    "client_secret": "OAuth2 client secret",
    "token_url": "OAuth2 token endpoint (default: the one in the spec)",
}


def credential_names(api: Api) -> tuple[PythonIdentifier, ...]:
    """Every credential or auth option the client constructor takes, in first-seen order."""
    found: list[PythonIdentifier] = []
    for scheme in api.security_schemes:
        for credential in (*scheme.credentials, *scheme.options):
            if credential not in found:
                found.append(credential)
    return tuple(found)


def env_variables(api: Api) -> tuple[tuple[str, str], ...]:
    """(client argument, environment variable) for each credential and auth option, then base_url."""
    prefix = api.package.module.upper()
    declared = {argument: variable for s in api.security_schemes for argument, variable in s.env}
    found = [(c, declared.get(c, f"{prefix}_{c.upper()}")) for c in credential_names(api)]
    return (*found, ("base_url", api.base_url_env or f"{prefix}_BASE_URL"))


def log_variable(api: Api) -> str:
    """The variable that turns on the package's log, as OPENAI_LOG does."""
    return f"{api.package.module.upper()}_LOG"


def _env_spec(api: Api) -> Code:
    variables = env_variables(api)
    credentials = ", ".join(f"{literal(a)}: {literal(v)}" for a, v in variables[:-1])
    return Code(f"EnvSpec(base_url={literal(variables[-1][1])}, credentials={{{credentials}}}, "
                f"log={literal(log_variable(api))})")


def _environment_docs(api: Api) -> tuple[EnvView, ...]:
    rows = [EnvView(variable=doc(variable), sets=doc(argument)) for argument, variable in env_variables(api)]
    log = f"info or debug: log requests, retries and waits (logger {api.package.module})"
    return (*rows, EnvView(variable=doc(log_variable(api)), sets=doc(log)))


def _scheme_spec(scheme: SecurityScheme) -> Code:
    credentials = tuple_of([literal(c) for c in scheme.credentials])
    parts = [f"kind={literal(scheme.kind.value)}", f"credentials={credentials}"]
    if scheme.kind is AuthKind.API_KEY:
        parts += [f"location={literal(scheme.location.value)}", f"parameter={literal(scheme.parameter)}",
                  f"template={literal(scheme.template)}"]
    if scheme.signing is not None:
        s = scheme.signing
        headers = tuple_of([tuple_of([literal(k), literal(v)]) for k, v in s.headers])
        parts.append(
            f"signing=SigningSpec(secret={literal(s.secret)}, "
            f"string_to_sign={tuple_of([literal(t) for t in s.string_to_sign])}, "
            f"signature_header={literal(s.signature_header)}, headers={headers}, fields={literal(s.fields.value)}, "
            f"canonical_line={literal(s.canonical_line)}, nonce_bytes={s.nonce_bytes})"
        )
    if scheme.token is not None:
        t = scheme.token
        placeholder = ", placeholder=True" if t.placeholder else ""
        parts.append(f"token=TokenSpec(token_url={literal(t.url)}, placement={literal(t.placement.value)}, "
                     f"lifetime={literal(t.lifetime)}, scopes={tuple_of([literal(x) for x in t.scopes])}"
                     f"{placeholder})")
    if scheme.charset:
        parts.append(f"charset={literal(scheme.charset)}")
    return Code(f"SchemeSpec({', '.join(parts)})")


def _rate_limit(api: Api) -> Code:
    r = api.rate_limit
    if r is None:
        return Code("None")
    return Code(f"RateLimitSpec(requests_per_second={literal(r.requests_per_second)}, "
                f"limit_header={literal(r.limit_header)}, remaining_header={literal(r.remaining_header)}, "
                f"reset_header={literal(r.reset_header)}, reset={literal(r.reset.value)})")


def credential_doc(api: Api, credential: str, *, short: bool = False) -> str:
    """What a credential is; `short`: only the first clause of a scheme's description (for a table row)."""
    if credential == "token_url" and any(s.token is not None and s.token.placeholder for s in api.security_schemes):
        return "OAuth2 token endpoint (required: the one in the spec is a placeholder)"
    if credential in _CREDENTIAL_DOCS:
        return _CREDENTIAL_DOCS[credential]
    users = [s for s in api.security_schemes if credential in (*s.credentials, *s.options)]
    described = " ".join(next((s.description for s in users if s.description), "").split())
    if short:
        described = re.split(r"[;:]\s|\.\s", described, maxsplit=1)[0].rstrip(".")
    return described or f"credential for {', '.join(s.key for s in users)}"


# What _client.py may import from the runtime: _client.py.j2 always uses the first three modules' names; the
# specs of security schemes, rate limits and the environment name the others.
_LOCAL = {
    "._base_client": ("DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "AsyncAPIClient", "SyncAPIClient"),
    "._operation": ("ClientConfig",),
    "._types": ("NOT_GIVEN", "NotGiven", "Timeout"),
    "._env": ("EnvSpec",),
    "._ratelimit": ("RateLimitSpec",),
    "._auth": ("SchemeSpec",),
    "._oauth2": ("TokenSpec",),
    "._signing": ("SigningSpec",),
}


def _imports(schemes: tuple[SchemeView, ...], rate_limit: Code, env: Code) -> tuple[ImportView, ...]:
    fixed = {n for module in ("._base_client", "._operation", "._types") for n in _LOCAL[module]}
    return from_imports(_LOCAL, fixed | names_in([*(s.spec for s in schemes), rate_limit, env]))


def _twins(api: Api, children: tuple[ChildView, ...]) -> tuple[ClientTwinView, ...]:
    package, wrappers = api.package, wrapper_classes(api.package.client)
    sync = ClientTwinView(cls=name(package.client), base=Code("SyncAPIClient"), http_client=Code("httpx.Client"),
                          raw=wrappers.raw_sync, streamed=wrappers.streamed_sync, documented=True, children=tuple(
                              TwinChildView(attribute=c.attribute, module=c.module, cls=c.sync_class) for c in children))
    async_ = ClientTwinView(cls=name(package.async_client), base=Code("AsyncAPIClient"),
                            http_client=Code("httpx.AsyncClient"), raw=wrappers.raw_async,
                            streamed=wrappers.streamed_async, documented=False, children=tuple(
                                TwinChildView(attribute=c.attribute, module=c.module, cls=c.async_class)
                                for c in children))
    return sync, async_


def _wrapper_twins(api: Api, children: tuple[ChildView, ...]) -> tuple[WrapperTwinView, ...]:
    wrappers = wrapper_classes(api.package.client)
    sync, async_ = name(api.package.client), name(api.package.async_client)

    def twin(cls: Code, client: Code, classes: list[Code]) -> WrapperTwinView:
        return WrapperTwinView(cls=cls, client=client, children=tuple(
            TwinChildView(attribute=c.attribute, module=c.module, cls=k) for c, k in zip(children, classes, strict=True)))

    return (twin(wrappers.raw_sync, sync, [c.wrappers.raw_sync for c in children]),
            twin(wrappers.raw_async, async_, [c.wrappers.raw_async for c in children]),
            twin(wrappers.streamed_sync, sync, [c.wrappers.streamed_sync for c in children]),
            twin(wrappers.streamed_async, async_, [c.wrappers.streamed_async for c in children]))


def client_view(api: Api, children: tuple[ChildView, ...]) -> ClientView:
    credentials = credential_names(api)
    params = api.client_parameters
    default = api.servers[0].url if api.servers and "://" in api.servers[0].url else None
    package = api.package
    description = api.description.strip().split("\n\n")[0] if api.description.strip() else ""
    schemes = tuple(SchemeView(key=literal(s.key), spec=_scheme_spec(s)) for s in api.security_schemes)
    rate_limit, env = _rate_limit(api), _env_spec(api)
    return ClientView(
        sync_class=name(package.client),
        async_class=name(package.async_client),
        doc=doc(f"{package.title} API client.\n\n{description}".strip()),
        module_doc=docstring(f"{package.title} API client.\n\n{description}".strip()),
        default_base_url=literal(default),
        user_agent=literal(f"{package.distribution}/{package.version}"),
        credentials=tuple(ArgView(name=name(c), doc=doc(" ".join(credential_doc(api, c).split())))
                          for c in credentials),
        client_parameters=tuple(ArgView(name=name(p.name), doc=doc(" ".join(p.description.split())))
                                for p in params),
        schemes=schemes,
        children=children,
        has_children=bool(children),
        imports=_imports(schemes, rate_limit, env),
        twins=_twins(api, children),
        wrapper_twins=_wrapper_twins(api, children),
        credentials_dict=Code("{" + ", ".join(f"{literal(c)}: {name(c)}" for c in credentials) + "}"),
        client_parameters_dict=Code("{" + ", ".join(f"{literal(p.name)}: {name(p.name)}" for p in params) + "}"),
        rate_limit=rate_limit,
        wrappers=wrapper_classes(package.client),
        servers=tuple_of([literal(s.url) for s in api.servers if "://" in s.url]),
        logger=literal(str(package.module)),
        env=env,
        environment=_environment_docs(api),
        base_url_env=doc(env_variables(api)[-1][1]),
    )
