"""Two schemas compared for one side of the wire.

Values in a request flow from callers: a request schema that accepts less breaks them, one that
accepts more does not. Values in a response flow to callers: a response schema that may return more
(a new enum value, a null) may break them, one that returns less does not. A schema reached from both
sides is compared twice, and its changes kept at the worse of the two.
"""

from __future__ import annotations

import json
from typing import Any

from .. import pointer as jp
from ..ir.schema_kinds import is_null_schema
from ..resolve import Cursor
from .changes import Level, Side
from .context import Context

_DOCS = ("description", "title", "example", "examples", "externalDocs", "$comment")
_UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_MEMBERS = ("oneOf", "anyOf", "allOf")
# Formats a response model reads into another Python type than the plain JSON one.
# (What the generated models do: tests/diff/test_diff_cli.py checks it against a generated package.)
PYTHON_TYPED = {"date-time": "datetime", "date": "date", "uuid": "UUID"}


def compare_schema(ctx: Context, old: Cursor, new: Cursor, side: Side) -> None:
    old, new = ctx.old.deref(old), ctx.new.deref(new)
    if not ctx.first_visit(old, new, side):
        return
    if not isinstance(old.value, dict) or not isinstance(new.value, dict):
        if _as_schema(old.value) != _as_schema(new.value):
            ctx.add(f"{side.value}-schema-changed", Level.BREAKING, f"{label(new)}: the schema changed from "
                    f"{_short(old.value)} to {_short(new.value)}", old, new, side)
        return
    _types(ctx, old, new, side)
    _format(ctx, old, new, side)
    _enum(ctx, old, new, side)
    _constraints(ctx, old, new, side)
    _default(ctx, old, new, side)
    _properties(ctx, old, new, side)
    _additional(ctx, old, new, side)
    if isinstance(old.value.get("items"), (dict, bool)) and isinstance(new.value.get("items"), (dict, bool)):
        compare_schema(ctx, old.child("items"), new.child("items"), side)
    single_old, single_new = _single_member(old), _single_member(new)
    if single_old is not None and single_new is not None:
        # `allOf: [X]` with `nullable` (3.0) and `anyOf: [X, {type: 'null'}]` (3.1) both say "X or null".
        compare_schema(ctx, single_old, single_new, side)
    else:
        for key in _MEMBERS:
            _members(ctx, old, new, key, side)
    _discriminator(ctx, old, new, side)
    docs(ctx, old, new, new)


def _as_schema(value: Any) -> Any:
    return {} if value is True else value  # `true` and `{}` both accept anything


def docs(ctx: Context, old: Cursor, new: Cursor, named: str | Cursor) -> None:
    """Descriptions, titles, examples: reported, but only as documentation."""
    if not isinstance(old.value, dict) or not isinstance(new.value, dict):
        return
    if all(old.value.get(key) == new.value.get(key) for key in (*_DOCS, "deprecated")):
        return
    what = label(named) if isinstance(named, Cursor) else named
    for key in _DOCS:
        if old.value.get(key) != new.value.get(key):
            verb = "added" if key not in old.value else "removed" if key not in new.value else "changed"
            ctx.add(f"{key.lower()}-{verb}", Level.DOCS, f"{what}: {key} {verb}",
                    old.child(key) if key in old.value else old, new.child(key) if key in new.value else new)
    was, now = bool(old.value.get("deprecated")), bool(new.value.get("deprecated"))
    if was != now:
        ctx.add("deprecated-added" if now else "deprecated-removed", Level.COMPATIBLE,
                f"{what} is {'now' if now else 'no longer'} deprecated", old, new)


def label(cursor: Cursor) -> str:
    """A short human name for where a schema sits: `Pet.owner.name`, `body.tags[]`."""
    parts = jp.split(cursor.pointer)
    out: list[str] = []
    if len(parts) >= 3 and parts[0] == "components":
        out.append(parts[2])
        parts = parts[3:]
    for index, part in enumerate(parts):
        previous = parts[index - 1] if index else ""
        if previous == "parameters":
            out.append(_parameter_name(cursor, parts[:index + 1]) if part.isdigit() else part)
        elif previous == "properties":
            out.append(part)
        elif part == "items":
            out[-1:] = [(out[-1] if out else "") + "[]"]
        elif part in ("requestBody",):
            out.append("body")
        elif part == "responses" and index + 1 < len(parts):
            out.append(f"response {parts[index + 1]}")
        elif previous in _MEMBERS:
            out.append(f"{previous}[{part}]")
    return ".".join(out) or (parts[-1] if parts else "schema")


def _parameter_name(cursor: Cursor, parts: list[str]) -> str:
    try:
        param = jp.resolve(cursor.doc.data, jp.join("", *parts))
    except LookupError:
        return "parameter"
    if isinstance(param, dict) and "name" in param:
        return f"{param.get('in', '')} parameter {param['name']}".strip()
    return "parameter"


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def types_of(schema: dict[str, Any]) -> set[str] | None:
    """The JSON types a schema allows by its `type` (None: any), `null` included when nullable."""
    declared = schema.get("type")
    if declared is None:
        found = None if schema.get("nullable") is not True else {"null"}
        return found
    kinds = {declared} if isinstance(declared, str) else {t for t in declared if isinstance(t, str)}
    if schema.get("nullable") is True:
        kinds.add("null")
    return kinds


def _covers(wide: set[str], narrow: set[str]) -> bool:
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _members_of(key: str, cursor: Cursor) -> list[Cursor]:
    return [c for c in cursor.child(key).elements() if not is_null_schema(c.value)]


def _single_member(cursor: Cursor) -> Cursor | None:
    """The one schema a composition wraps (null members aside), when it wraps one and says nothing else
    that types the value."""
    value = cursor.value
    found = [m for key in _MEMBERS for m in _members_of(key, cursor)]
    if len(found) != 1 or any(k in value for k in ("type", "properties", "items", "enum", "const")):
        return None
    return found[0]


def _null_allowed(schema: dict[str, Any]) -> bool:
    return any(is_null_schema(m) for key in ("oneOf", "anyOf") for m in schema.get(key, []) or []
               if isinstance(schema.get(key), list))


def _types(ctx: Context, old: Cursor, new: Cursor, side: Side) -> None:
    was, now = types_of(old.value), types_of(new.value)
    was_null = (was is not None and "null" in was) or _null_allowed(old.value)
    now_null = (now is not None and "null" in now) or _null_allowed(new.value)
    plain_was = None if was is None or was == {"null"} and "type" not in old.value else was - {"null"}
    plain_now = None if now is None or now == {"null"} and "type" not in new.value else now - {"null"}
    name = label(new)
    if plain_was != plain_now:
        shown = f"{_types_text(plain_was)} to {_types_text(plain_now)}"
        at_old = old.child("type") if "type" in old.value else old
        at_new = new.child("type") if "type" in new.value else new
        if side is Side.REQUEST:
            wider = plain_now is None or (plain_was is not None and _covers(plain_now, plain_was))
            ctx.add("request-type-widened" if wider else "request-type-changed",
                    Level.COMPATIBLE if wider else Level.BREAKING, f"{name}: type changed from {shown}", at_old, at_new,
                    side)
        else:
            narrower = plain_now is not None and (plain_was is None or _covers(plain_was, plain_now))
            ctx.add("response-type-narrowed" if narrower else "response-type-changed",
                    Level.COMPATIBLE if narrower else Level.BREAKING, f"{name}: type changed from {shown}",
                    at_old, at_new, side)
    if was_null != now_null:
        if side is Side.REQUEST:
            ctx.add("request-nullable-added" if now_null else "request-nullable-removed",
                    Level.COMPATIBLE if now_null else Level.BREAKING,
                    f"{name}: null is {'now accepted' if now_null else 'no longer accepted'}", old, new, side)
        else:
            ctx.add("response-nullable-added" if now_null else "response-nullable-removed",
                    Level.MAY_BREAK if now_null else Level.COMPATIBLE,
                    f"{name}: {'may now be null' if now_null else 'is never null now'}", old, new, side)


def _types_text(kinds: set[str] | None) -> str:
    return "any" if kinds is None else "|".join(sorted(kinds)) or "none"


def _format(ctx: Context, old: Cursor, new: Cursor, side: Side) -> None:
    was, now = old.value.get("format"), new.value.get("format")
    if was == now:
        return
    tighter = now is not None  # a format added or changed says more about the value
    typed = PYTHON_TYPED.get(str(was)) != PYTHON_TYPED.get(str(now))
    if side is Side.REQUEST:
        # A typed format dropped takes the keyword's datetime (or UUID) away: callers passing one break.
        level = Level.MAY_BREAK if tighter else Level.BREAKING if typed else Level.COMPATIBLE
    elif typed:
        # The model field's Python type changes (a str becomes a datetime): code using it as before fails.
        level = Level.BREAKING
    else:
        level = Level.MAY_BREAK if was is not None else Level.COMPATIBLE
    also = " (the field's Python type changes)" if typed and (side is Side.RESPONSE or not tighter) else ""
    ctx.add(f"{side.value}-format-changed", level, f"{label(new)}: format changed from {was or 'none'} to "
            f"{now or 'none'}{also}", old.child("format") if was else old, new.child("format") if now else new, side)


def _values(schema: dict[str, Any]) -> dict[str, Any] | None:
    if "const" in schema:
        return {json.dumps(schema["const"], sort_keys=True): schema["const"]}
    if isinstance(schema.get("enum"), list):
        return {json.dumps(v, sort_keys=True): v for v in schema["enum"]}
    return None


def _enum(ctx: Context, old: Cursor, new: Cursor, side: Side) -> None:
    was, now = _values(old.value), _values(new.value)
    if was == now or (was is None and now is None):
        return
    name, at_old, at_new = label(new), _enum_at(old), _enum_at(new)
    if was is None or now is None:
        restricted = now is not None
        level = (Level.BREAKING if restricted else Level.COMPATIBLE) if side is Side.REQUEST else \
            (Level.COMPATIBLE if restricted else Level.MAY_BREAK)
        ctx.add(f"{side.value}-enum-{'added' if restricted else 'removed'}", level,
                f"{name}: {'now limited to ' + _listed(now) if now is not None else 'no longer limited to a list'}",
                at_old, at_new, side)
        return
    added, removed = [now[k] for k in now if k not in was], [was[k] for k in was if k not in now]
    if added:
        ctx.add(f"{side.value}-enum-value-added", Level.COMPATIBLE if side is Side.REQUEST else Level.MAY_BREAK,
                f"{name}: new value{'s' if len(added) > 1 else ''} {_listed(added)}", at_old, at_new, side)
    if removed:
        # Either way the generated enum class loses a member that callers' code may name.
        why = "" if side is Side.REQUEST else " (never returned now, but the enum member callers may name goes away)"
        ctx.add(f"{side.value}-enum-value-removed", Level.BREAKING,
                f"{name}: value{'s' if len(removed) > 1 else ''} {_listed(removed)} removed{why}", at_old, at_new, side)


def _enum_at(cursor: Cursor) -> Cursor:
    return cursor.child("enum") if "enum" in cursor.value else cursor.child("const") if "const" in cursor.value else cursor


def _listed(values: Any) -> str:
    items = list(values.values()) if isinstance(values, dict) else list(values)
    shown = ", ".join(json.dumps(v, ensure_ascii=False) for v in items[:6])
    return shown + (f" and {len(items) - 6} more" if len(items) > 6 else "")


def _bounds(schema: dict[str, Any]) -> dict[str, Any]:
    """`maximum` and `exclusiveMaximum` as one bound each way: 3.0 writes `maximum: 10, exclusiveMaximum:
    true` where 3.1 writes `exclusiveMaximum: 10`."""
    found = dict(schema)
    for inclusive, exclusive in (("maximum", "exclusiveMaximum"), ("minimum", "exclusiveMinimum")):
        if found.get(exclusive) is True and isinstance(found.get(inclusive), (int, float)):
            found[exclusive] = found.pop(inclusive)
        elif found.get(exclusive) is False:
            found.pop(exclusive)
    return found


def _constraints(ctx: Context, old: Cursor, new: Cursor, side: Side) -> None:
    before, after = _bounds(old.value), _bounds(new.value)
    for key in (*_UPPER, *_LOWER, "pattern", "multipleOf", "uniqueItems"):
        was, now = before.get(key), after.get(key)
        if was == now:
            continue
        tighter = _tighter(key, was, now)
        loosened = not tighter
        if side is Side.REQUEST:
            level = Level.MAY_BREAK if tighter else Level.COMPATIBLE
        else:
            level = Level.MAY_BREAK if loosened else Level.COMPATIBLE
        ctx.add(f"{side.value}-{_kebab(key)}-{'tightened' if tighter else 'loosened'}", level,
                f"{label(new)}: {key} {_shown(was)} -> {_shown(now)}", old.child(key) if key in old.value else old,
                new.child(key) if key in new.value else new, side)


def _tighter(key: str, was: Any, now: Any) -> bool:
    if now is None or now is False:
        return False
    if was is None or was is False:
        return True
    if isinstance(was, bool) or isinstance(now, bool) or not isinstance(was, (int, float)) or \
            not isinstance(now, (int, float)):
        return True  # a new pattern, or 3.0's boolean exclusive bounds: assume it accepts less
    if key in _UPPER:
        return bool(now < was)
    if key in _LOWER:
        return bool(now > was)
    return True  # multipleOf changed


def _kebab(key: str) -> str:
    return "".join("-" + c.lower() if c.isupper() else c for c in key)


def _shown(value: Any) -> str:
    return "none" if value is None else json.dumps(value, ensure_ascii=False)


def _default(ctx: Context, old: Cursor, new: Cursor, side: Side) -> None:
    if "default" not in old.value and "default" not in new.value:
        return
    was, now = old.value.get("default"), new.value.get("default")
    if was != now or ("default" in old.value) != ("default" in new.value):
        # A request left without it now means another value; a response model fills in another value.
        ctx.add(f"{side.value}-default-changed", Level.MAY_BREAK,
                f"{label(new)}: default {_shown(was)} -> {_shown(now)}", old.child("default"), new.child("default"),
                side)


def _properties(ctx: Context, old: Cursor, new: Cursor, side: Side) -> None:
    was, now = old.child("properties"), new.child("properties")
    if not isinstance(was.value, dict) and not isinstance(now.value, dict):
        return
    old_names = set(was.value) if isinstance(was.value, dict) else set()
    new_names = set(now.value) if isinstance(now.value, dict) else set()
    old_required, new_required = _required(old.value), _required(new.value)
    closed = old.value.get("additionalProperties") is False
    for name in sorted(old_names - new_names):
        prop = was.child(name)
        if not _on_side(ctx, prop, side, old=True):
            continue
        required = name in old_required
        if side is Side.REQUEST:
            ctx.add("request-property-removed", Level.BREAKING,
                    f"{label(prop)}: removed (the model field and keyword go away)", prop, None, side)
        else:
            # The model attribute goes away either way; an open model would still parse the value if sent.
            still = "" if closed else "; an extra field of that name still parses"
            ctx.add(f"response-{'required' if required else 'optional'}-property-removed", Level.BREAKING,
                    f"{label(prop)}: no longer returned (the model attribute goes away{still})", prop, None, side)
    for name in sorted(new_names - old_names):
        prop = now.child(name)
        if not _on_side(ctx, prop, side, old=False):
            continue
        required = name in new_required
        if side is Side.REQUEST:
            ctx.add(f"request-{'required' if required else 'optional'}-property-added",
                    Level.BREAKING if required else Level.COMPATIBLE,
                    f"{label(prop)}: new {'required' if required else 'optional'} property", None, prop, side)
        else:
            ctx.add("response-property-added", Level.COMPATIBLE, f"{label(prop)}: new property", None, prop, side)
    for name in sorted(old_names & new_names):
        before, after = was.child(name), now.child(name)
        _access(ctx, before, after, side, required=name in new_required)
        if not _on_side(ctx, after, side, old=False) or not _on_side(ctx, before, side, old=True):
            continue
        was_required, now_required = name in old_required, name in new_required
        if was_required != now_required:
            if side is Side.REQUEST:
                ctx.add(f"request-property-became-{'required' if now_required else 'optional'}",
                        Level.BREAKING if now_required else Level.COMPATIBLE,
                        f"{label(after)}: now {'required' if now_required else 'optional'}", before, after, side)
            else:
                ctx.add(f"response-property-became-{'required' if now_required else 'optional'}",
                        Level.COMPATIBLE if now_required else Level.MAY_BREAK,
                        f"{label(after)}: {'always returned now' if now_required else 'may now be missing'}",
                        before, after, side)
        compare_schema(ctx, before, after, side)


def _required(schema: dict[str, Any]) -> set[str]:
    listed = schema.get("required")
    return {n for n in listed if isinstance(n, str)} if isinstance(listed, list) else set()


def _on_side(ctx: Context, prop: Cursor, side: Side, *, old: bool) -> bool:
    """A readOnly property is not part of a request, a writeOnly one not part of a response."""
    spec = ctx.old if old else ctx.new
    value = spec.deref(prop).value if prop.ref else prop.value
    if not isinstance(value, dict):
        return True
    hidden = "readOnly" if side is Side.REQUEST else "writeOnly"
    return value.get(hidden) is not True and prop.value.get(hidden) is not True


def _access(ctx: Context, before: Cursor, after: Cursor, side: Side, required: bool = False) -> None:
    for key, hidden_side, rule in (("readOnly", Side.REQUEST, "request-property-became-read-only"),
                                   ("writeOnly", Side.RESPONSE, "response-property-became-write-only")):
        if side is not hidden_side:
            continue
        was = _flag(ctx, before, key, old=True)
        now = _flag(ctx, after, key, old=False)
        if now and not was:
            # A request method loses the keyword (the client never sends a readOnly field); a response
            # model keeps the field but it is never filled.
            level = Level.BREAKING if side is Side.REQUEST else Level.MAY_BREAK
            what = "can no longer be sent" if side is Side.REQUEST else "is no longer returned"
            ctx.add(rule, level, f"{label(after)}: {key} now: it {what}", before, after.child(key), side)
        elif was and not now:
            # A required field that was read-only becomes a required keyword of the request method.
            must = side is Side.REQUEST and required
            what = ("must now be sent" if must else "can now be sent") if side is Side.REQUEST else "is now returned"
            ctx.add(rule.replace("became", "no-longer"), Level.BREAKING if must else Level.COMPATIBLE,
                    f"{label(after)}: {what}", before.child(key), after, side)


def _flag(ctx: Context, prop: Cursor, key: str, *, old: bool) -> bool:
    spec = ctx.old if old else ctx.new
    target = spec.deref(prop) if prop.ref else prop
    return any(isinstance(v, dict) and v.get(key) is True for v in (prop.value, target.value))


def _additional(ctx: Context, old: Cursor, new: Cursor, side: Side) -> None:
    was, now = old.value.get("additionalProperties"), new.value.get("additionalProperties")
    if isinstance(was, dict) or isinstance(now, dict):
        if was is not False and now is not False:
            # Absent and `true` are `{}`: compared as schemas, an open map that gains a type says so.
            before = old.child("additionalProperties") if isinstance(was, dict) else _empty(old)
            after = new.child("additionalProperties") if isinstance(now, dict) else _empty(new)
            compare_schema(ctx, before, after, side)
            return
    if was == now or (was in (None, True, {}) and now in (None, True, {})):
        return
    closed_now = now is False
    # Typed callers send only the model's fields: only a dict with extra keys is now refused. Extra
    # properties in a response are kept on the model as extras, as a new optional property would be.
    level = Level.MAY_BREAK if side is Side.REQUEST and closed_now else Level.COMPATIBLE
    ctx.add(f"{side.value}-additional-properties-{'closed' if closed_now else 'opened'}", level,
            f"{label(new)}: other properties are {'no longer' if closed_now else 'now'} allowed",
            old.child("additionalProperties") if was is not None else old,
            new.child("additionalProperties") if now is not None else new, side)


def _empty(parent: Cursor) -> Cursor:
    return Cursor(parent.doc, parent.pointer + "/additionalProperties", {})


def _member_key(cursor: Cursor) -> str:
    # Inline members by what they say (reordering them changes nothing), references by target.
    return cursor.ref or "=" + _canonical(cursor.value)


def _members(ctx: Context, old: Cursor, new: Cursor, key: str, side: Side) -> None:
    was, now = old.child(key), new.child(key)
    if not isinstance(was.value, list) and not isinstance(now.value, list):
        return
    # A `{type: 'null'}` member is nullability, compared with the types.
    before = {_member_key(c): c for c in was.elements() if not is_null_schema(c.value)}
    after = {_member_key(c): c for c in now.elements() if not is_null_schema(c.value)}
    if before and after:
        _match_renamed_members(ctx, before, after)
        _pair_inline_members(before, after)
    name = label(new)
    # Another oneOf/anyOf member lets more through, another allOf part less. A composition that appears
    # (or goes) where there was none is a new rule (or one fewer): it lets less (more) through.
    widening = key != "allOf" and bool(before) and bool(after)
    for member_key in before.keys() - after.keys():
        member = before[member_key]
        level = Level.COMPATIBLE if side is Side.RESPONSE and widening else Level.BREAKING
        if not after and key != "allOf":
            level = Level.MAY_BREAK if side is Side.RESPONSE else Level.COMPATIBLE
        ctx.add(f"{side.value}-{key.lower()}-member-removed", level,
                f"{name}: {key} member {_member_name(member_key)} removed", member, now if now.value else new, side)
    for member_key in after.keys() - before.keys():
        member = after[member_key]
        if side is Side.REQUEST:
            level = Level.COMPATIBLE if widening else Level.MAY_BREAK if key != "allOf" else Level.BREAKING
        else:
            level = Level.MAY_BREAK if widening else Level.COMPATIBLE
        ctx.add(f"{side.value}-{key.lower()}-member-added", level,
                f"{name}: {key} member {_member_name(member_key)} added", was if was.value else old, member, side)
    for member_key in before.keys() & after.keys():
        compare_schema(ctx, before[member_key], after[member_key], side)


def _match_renamed_members(ctx: Context, before: dict[str, Cursor], after: dict[str, Cursor]) -> None:
    """A member whose reference changed name but whose schema did not is the same member."""
    gone = [k for k in before if k not in after]
    came = [k for k in after if k not in before]
    for old_key in gone:
        old_body = _canonical(ctx.old.deref(before[old_key]).value)
        match = next((k for k in came if _canonical(ctx.new.deref(after[k]).value) == old_body), None)
        if match is not None:
            came.remove(match)
            after[old_key] = after.pop(match)


def _pair_inline_members(before: dict[str, Cursor], after: dict[str, Cursor]) -> None:
    """Inline members that changed are paired in their order, and compared as one member."""
    gone = [k for k in before if k.startswith("=") and k not in after]
    came = [k for k in after if k.startswith("=") and k not in before]
    for old_key, new_key in zip(gone, came):
        after[old_key] = after.pop(new_key)


def _member_name(key: str) -> str:
    return key.rsplit("/", 1)[-1] if not key.startswith("=") else key[1:61]


def _discriminator(ctx: Context, old: Cursor, new: Cursor, side: Side) -> None:
    was, now = old.value.get("discriminator"), new.value.get("discriminator")
    if was == now:
        return
    was_name = was.get("propertyName") if isinstance(was, dict) else None
    now_name = now.get("propertyName") if isinstance(now, dict) else None
    level = Level.BREAKING if was_name != now_name else Level.MAY_BREAK
    ctx.add(f"{side.value}-discriminator-changed", level, f"{label(new)}: discriminator changed",
            old.child("discriminator") if was else old, new.child("discriminator") if now else new, side)


def _canonical(value: Any) -> str:
    """A schema without its documentation, for telling a renamed schema from a new one."""
    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in _DOCS}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return json.dumps(strip(value), sort_keys=True)


canonical = _canonical
