"""Server Objects (root, path item or operation level) as URLs with their variables' defaults filled in."""

from __future__ import annotations

from ..resolve import Cursor
from .model import Server


def servers(at: Cursor) -> tuple[Server, ...]:
    """The Server Objects listed under `at`'s `servers`."""
    found = []
    for cursor in at.child("servers").elements():
        value = cursor.value if isinstance(cursor.value, dict) else {}
        url = value.get("url")
        if not isinstance(url, str):
            continue
        variables: dict[str, object] = value["variables"] if isinstance(value.get("variables"), dict) else {}
        for var, spec_var in variables.items():
            default = spec_var.get("default") if isinstance(spec_var, dict) else None
            url = url.replace("{" + var + "}", str(default if default is not None else ""))
        description = value.get("description")
        found.append(Server(url=url, description=description if isinstance(description, str) else ""))
    return tuple(found)
