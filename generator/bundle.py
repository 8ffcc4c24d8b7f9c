"""The spec as the generated tests read it: every document of a resolved spec in one JSON file."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .resolve import ResolvedSpec


def bundle(spec: ResolvedSpec) -> str:
    """`{"root": name, "documents": {name: data}}`, names relative to the documents' common folder."""
    paths = [doc.path.resolve() for doc in spec.documents.values()]
    base = Path(os.path.commonpath([p.parent for p in paths]))
    documents = {doc.path.resolve().relative_to(base).as_posix(): doc.data for doc in spec.documents.values()}
    body = {"root": spec.root.path.resolve().relative_to(base).as_posix(),
            "documents": {name: documents[name] for name in sorted(documents)}}
    return json.dumps(body, indent=1, ensure_ascii=False) + "\n"
