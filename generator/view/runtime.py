"""What a package exports from its runtime: the `__all__` of each runtime module, read from its source."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from .. import cache

# The runtime every package gets a copy of (render.py copies the same folder).
RUNTIME = Path(__file__).resolve().parents[2] / "templates" / "runtime"


def runtime_exports() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(module, its exported names) for each runtime module that declares `__all__`, by module name."""
    return _read(RUNTIME)


@functools.cache  # once per process: the runtime does not change while the generator runs
def _read(folder: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    sources = [(source, source.read_text(encoding="utf-8")) for source in sorted(folder.glob("*.py"))]
    # Parsing every module costs more than the rest of a warm run's views: kept by the texts read (and
    # by the code reading them).
    entry = cache.key("runtime-exports", [cache.generator_digest(),
                                          *(part for source, text in sources for part in (source.name, text))])
    known = cache.get_json("runtime-exports", entry)
    if isinstance(known, list) and all(isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], list)
                                       for pair in known):
        return tuple((str(module), tuple(str(name) for name in names)) for module, names in known)
    found = []
    for source, text in sources:
        names = _declared(ast.parse(text, filename=str(source)))
        if names is not None:
            found.append((source.stem, names))
    cache.put_json("runtime-exports", entry, [[module, list(names)] for module, names in found])
    return tuple(found)


def _declared(tree: ast.Module) -> tuple[str, ...] | None:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            names = ast.literal_eval(node.value)
            if not (isinstance(names, list) and all(isinstance(n, str) and n.isidentifier() for n in names)):
                raise ValueError(f"__all__ of the runtime must be a list of names, not {ast.unparse(node.value)}")
            return tuple(names)
    return None
