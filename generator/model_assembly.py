"""One run of the model generator cut into each group's classes, and the groups joined into one module.

The model generator also writes classes of its own (an enum for an inline `enum`, say) named apart
from all others in its run; a group keeps them under placeholders, and joining names them apart from
every class of the whole module, in group order.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Mapping
from typing import Any

from .model_split import _rebuilt_class, _source

_WORD = re.compile(r"[A-Za-z_]\w*")
_DIGITS = re.compile(r"\d+$")
_PLACEHOLDER = "__careforge_extra_{}__"

# One group's part of a run: {"classes": [[name, source]], "imports": [[module, name, alias]],
# "trailing": [source], "extras": [[placeholder, name]]}; JSON, as the cache keeps it.
Part = dict[str, list[Any]]


def cut(source: str, owner: Mapping[str, int], wanted: set[int]) -> dict[int, Part] | None:
    """The classes of each wanted group (by `owner`, the group of each class the IR knows), or None when
    the source has a statement this cut does not know how to place."""
    tree = ast.parse(source)
    lines = source.split("\n")
    imports: list[tuple[str | None, str, str | None]] = []
    classes: dict[str, ast.ClassDef] = {}
    trailing: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                return None
            if node.module != "__future__":
                imports += [(node.module, a.name, a.asname) for a in node.names]
        elif isinstance(node, ast.Import):
            imports += [(None, a.name, a.asname) for a in node.names]
        elif isinstance(node, ast.ClassDef):
            classes[node.name] = node
        else:
            rebuilt = _rebuilt_class(node, classes)
            if rebuilt is None:
                return None
            trailing.setdefault(rebuilt, []).append(_source(lines, node))
    used = {name: _names(node) for name, node in classes.items()}
    groups_of = _owners(classes, used, owner, wanted)
    parts: dict[int, Part] = {g: {"classes": [], "imports": [], "trailing": [], "extras": []} for g in wanted}
    renames: dict[int, dict[str, str]] = {g: {} for g in wanted}
    members: dict[int, list[str]] = {g: [] for g in wanted}
    for name in classes:
        for g in sorted(groups_of.get(name, ())):
            members[g].append(name)
            if name not in owner:
                placeholder = _PLACEHOLDER.format(len(renames[g]))
                renames[g][name] = placeholder
                parts[g]["extras"].append([placeholder, name])
    for g, part in parts.items():
        mine = members[g]
        words = set().union(*(used[n] for n in mine)) if mine else set()
        for name in mine:
            part["classes"].append([renames[g].get(name, name), _rename(_source(lines, classes[name]), renames[g])])
            part["trailing"] += [_rename(t, renames[g]) for t in trailing.get(name, [])]
        part["imports"] = [[m, n, a] for m, n, a in imports if (a or n).split(".")[0] in words]
    return parts


def _names(node: ast.ClassDef) -> set[str]:
    """Names a class uses: in code, and in quoted annotations (forward references)."""
    found = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign):
            for constant in ast.walk(statement.annotation):
                if isinstance(constant, ast.Constant) and isinstance(constant.value, str):
                    found.update(_WORD.findall(constant.value))
    found.add(node.name)
    return found


def _owners(classes: Mapping[str, ast.ClassDef], used: Mapping[str, set[str]], owner: Mapping[str, int],
            wanted: set[int]) -> dict[str, set[int]]:
    """The wanted groups each class belongs to: a class the IR knows to its group, one of the model
    generator's own to every group whose classes use it."""
    groups_of = {n: {owner[n]} for n in classes if n in owner and owner[n] in wanted}
    extras = [n for n in classes if n not in owner]
    changed = bool(extras)
    while changed:
        changed = False
        for extra in extras:
            found = set().union(*(g for n, g in groups_of.items() if n != extra and extra in used[n]))
            if not found <= groups_of.get(extra, set()):
                groups_of[extra] = groups_of.get(extra, set()) | found
                changed = True
    return {n: g for n, g in groups_of.items() if g}


def _rename(text: str, renames: Mapping[str, str]) -> str:
    """`text` with each name in `renames` replaced where it is code (not in strings or comments)."""
    if not renames or not any(n in text for n in renames):
        return text
    lines = text.split("\n")
    tokens = []
    previous = ""
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.NAME and token.string in renames and previous != ".":  # not an attribute
            tokens.append(token)
        if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            previous = token.string
    for token in reversed(tokens):
        row, col = token.start
        line = lines[row - 1]
        lines[row - 1] = line[:col] + renames[token.string] + line[col + len(token.string):]
    return "\n".join(lines)


def assemble(parts: list[Part], known: set[str]) -> str:
    """One module of the groups' classes in the order given. The model generator's own classes are named
    apart from all others, and one written alike by several groups is kept once (as one run keeps it)."""
    taken = set(known)
    # One run imports a name under an alias for the whole module when a class has a field of that name
    # (`date as date_aliased`); a group without such a field imports it plainly: it takes the alias too.
    aliased = {(m, n): a for part in parts for m, n, a in part["imports"] if a is not None}
    alike: dict[str, str] = {}
    imports: dict[str | None, set[tuple[str, str | None]]] = {}
    classes: list[str] = []
    trailing: list[str] = []
    for part in parts:
        extras = dict(part["extras"])
        chosen: dict[str, str] = {}
        kept = []
        for name, text in part["classes"]:
            if name in extras:
                same = text.replace(name, "\0")
                if same in alike:
                    chosen[name] = alike[same]
                    continue
                chosen[name] = alike[same] = _free(extras[name], taken)
                taken.add(chosen[name])
            kept.append(text)
        plain = {n: aliased[m, n] for m, n, a in part["imports"] if a is None and (m, n) in aliased}
        for module, name, alias in part["imports"]:
            imports.setdefault(module, set()).add((name, aliased[module, name] if name in plain else alias))
        classes += [_rename(_placed(text, chosen), plain) for text in kept]
        trailing += [_rename(_placed(text, chosen), plain) for text in part["trailing"]]
    head = ["from __future__ import annotations"]
    for module, names in imports.items():
        listed = ", ".join(n if a is None else f"{n} as {a}" for n, a in sorted(names, key=lambda p: (p[0], p[1] or "")))
        head.append(f"import {listed}" if module is None else f"from {module} import {listed}")
    body = "\n\n\n".join(classes)
    if trailing:  # (one run writes them sorted, after every class)
        body += "\n\n\n" + "\n".join(sorted(trailing))
    return "\n".join(head) + "\n\n\n" + body + "\n"


def _free(name: str, taken: set[str]) -> str:
    base = _DIGITS.sub("", name) or name
    if base not in taken:
        return base
    number = 1
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


def _placed(text: str, chosen: Mapping[str, str]) -> str:
    for placeholder, name in chosen.items():
        text = text.replace(placeholder, name)
    return text
