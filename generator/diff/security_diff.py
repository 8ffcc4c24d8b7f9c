"""Security schemes, the security each operation needs, and servers."""

from __future__ import annotations

from typing import Any

from ..resolve import Cursor
from ..spec_walk import TEMPLATE_VAR, OperationSite
from .changes import Level, Side
from .context import Context
from .mechanics import compare_extensions



def compare_schemes(ctx: Context) -> None:
    before = dict(ctx.old.cursor.child("components").child("securitySchemes").items())
    after = dict(ctx.new.cursor.child("components").child("securitySchemes").items())
    for name in sorted(before.keys() - after.keys()):
        ctx.add("security-scheme-removed", Level.BREAKING, f"security scheme {name} removed", before[name], None)
    for name in sorted(after.keys() - before.keys()):
        ctx.add("security-scheme-added", Level.COMPATIBLE, f"security scheme {name} added", None, after[name])
    for name in sorted(before.keys() & after.keys()):
        old, new = ctx.old.deref(before[name]), ctx.new.deref(after[name])
        if not isinstance(old.value, dict) or not isinstance(new.value, dict):
            continue
        kind = (old.value.get("type"), str(old.value.get("scheme", "")).lower())
        if kind != (new.value.get("type"), str(new.value.get("scheme", "")).lower()):
            ctx.add("security-scheme-type-changed", Level.BREAKING,
                    f"security scheme {name}: {_kind(old.value)} -> {_kind(new.value)} (other credentials)", old, new)
        for key in ("in", "name", "bearerFormat", "openIdConnectUrl"):
            if old.value.get(key) != new.value.get(key):
                ctx.add(f"security-scheme-{key.lower()}-changed", Level.COMPATIBLE,
                        f"security scheme {name}: {key} changed (the client sends credentials the new way)",
                        old.child(key), new.child(key))
        if old.value.get("flows") != new.value.get("flows"):
            ctx.add("security-scheme-flows-changed", Level.COMPATIBLE,
                    f"security scheme {name}: OAuth2 flows changed (token URL or scopes)", old.child("flows"),
                    new.child("flows"))
        _value_template(ctx, old, new, name)
        compare_extensions(ctx, old, new, f"security scheme {name}", skip=("x-careforge-value",))
        if old.value.get("description") != new.value.get("description"):
            ctx.add("security-scheme-description-changed", Level.DOCS, f"security scheme {name}: description changed",
                    old, new)


def _kind(scheme: dict[str, Any]) -> str:
    return f"{scheme.get('type')}{' ' + str(scheme['scheme']) if 'scheme' in scheme else ''}"


def _value_template(ctx: Context, old: Cursor, new: Cursor, name: str) -> None:
    key = "x-careforge-value"
    was, now = old.value.get(key), new.value.get(key)
    if was == now:
        return
    before = set(TEMPLATE_VAR.findall(str(was or "{api_key}")))
    after = set(TEMPLATE_VAR.findall(str(now or "{api_key}")))
    needs = sorted(after - before)
    ctx.add("security-credentials-changed" if needs else "security-value-changed",
            Level.BREAKING if needs else Level.COMPATIBLE,
            f"security scheme {name}: " + (f"now needs {', '.join(needs)} (a new client argument)" if needs else
                                           "the credential value is built another way (the client follows)"),
            old.child(key), new.child(key))


def _requirements(value: Any) -> dict[frozenset[str], dict[str, frozenset[str]]]:
    found: dict[frozenset[str], dict[str, frozenset[str]]] = {}
    for entry in value if isinstance(value, list) else []:
        if isinstance(entry, dict):
            found[frozenset(entry)] = {k: frozenset(v) if isinstance(v, list) else frozenset()
                                       for k, v in entry.items()}
    return found


def _security(ctx_root: Cursor, site: OperationSite) -> Cursor:
    own = site.operation.child("security")
    return own if isinstance(own.value, list) else ctx_root.child("security")


def compare_operation_security(ctx: Context, old: OperationSite, new: OperationSite, what: str) -> None:
    was_at, now_at = _security(ctx.old.cursor, old), _security(ctx.new.cursor, new)
    before, after = _requirements(was_at.value), _requirements(now_at.value)
    if before == after:
        return
    open_before = not before or frozenset() in before
    if not after or frozenset() in after:
        if not open_before:
            # Credentials the client holds are simply not sent (or sent and ignored): nothing breaks.
            ctx.add("security-removed" if not after else "security-made-optional", Level.COMPATIBLE,
                    f"{what}: no longer needs credentials" if not after else f"{what}: credentials now optional",
                    was_at, now_at, Side.REQUEST)
        return
    for names in sorted(before.keys() - after.keys(), key=sorted):
        if names:
            ctx.add("security-requirement-removed", Level.BREAKING,
                    f"{what}: credentials {' + '.join(sorted(names))} no longer accepted", was_at, now_at, Side.REQUEST)
    for names in sorted(after.keys() - before.keys(), key=sorted):
        if open_before:
            ctx.add("security-requirement-added", Level.BREAKING,
                    f"{what}: now needs credentials {' + '.join(sorted(names))}", was_at, now_at, Side.REQUEST)
        else:
            ctx.add("security-alternative-added", Level.COMPATIBLE,
                    f"{what}: credentials {' + '.join(sorted(names))} also accepted", was_at, now_at, Side.REQUEST)
    for names in sorted(before.keys() & after.keys(), key=sorted):
        for scheme, scopes in after[names].items():
            extra = sorted(scopes - before[names].get(scheme, frozenset()))
            if extra:
                # Tokens issued for the old requirement are refused.
                ctx.add("security-scopes-added", Level.BREAKING,
                        f"{what}: {scheme} now needs scope{'s' if len(extra) > 1 else ''} {', '.join(extra)}",
                        was_at, now_at, Side.REQUEST)


def _urls(cursor: Cursor) -> list[tuple[str, Cursor]]:
    found = []
    for server in cursor.elements():
        if isinstance(server.value, dict) and isinstance(server.value.get("url"), str):
            url = server.value["url"]
            variables = server.value.get("variables")
            for name, variable in (variables.items() if isinstance(variables, dict) else ()):
                if isinstance(variable, dict) and "default" in variable:
                    url = url.replace("{" + name + "}", str(variable["default"]))
            found.append((url.rstrip("/"), server))
    return found


def compare_servers(ctx: Context, old: Cursor, new: Cursor, what: str) -> None:
    before, after = _urls(old), _urls(new)
    if [u for u, _ in before] == [u for u, _ in after]:
        return
    if before and after and before[0][0] != after[0][0]:
        ctx.add("server-default-changed", Level.MAY_BREAK,
                f"{what}: default server {before[0][0]} -> {after[0][0]} (clients without base_url go there)",
                before[0][1], after[0][1])
    old_urls, new_urls = {u for u, _ in before}, {u for u, _ in after}
    for url, cursor in before:
        if url not in new_urls:
            ctx.add("server-removed", Level.MAY_BREAK, f"{what}: server {url} removed", cursor,
                    new if new.value is not None else None)
    for index, (url, cursor) in enumerate(after):
        if url not in old_urls and (index or not before):
            # Only the first server is the client's default: another one is listed in the README alone.
            ctx.add("server-added", Level.DOCS if index else Level.COMPATIBLE, f"{what}: server {url} added",
                    old if old.value is not None else None, cursor)
