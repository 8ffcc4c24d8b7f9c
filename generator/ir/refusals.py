"""`x-careforge-error-statuses`: 2xx responses that report a refusal, raised as errors instead of returned."""

from __future__ import annotations

from ..resolve import Cursor, ResolvedSpec
from . import extensions as ext


def error_statuses(spec: ResolvedSpec, op: Cursor, problems: ext.Problems) -> frozenset[str]:
    """The operation's 2xx statuses filed as failures; each must be a documented 2xx code."""
    node = op.child(ext.ERROR_STATUSES)
    if node.value is None:
        return frozenset()
    documented = {status for status, _ in spec.deref(op.child("responses")).items()}
    value = node.value if isinstance(node.value, list) else None
    if not value or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
        problems.error(node, "E-EXTENSION", f"{ext.ERROR_STATUSES} must be a list of status codes, got "
                       f"{node.value!r}", "quote the 2xx codes that mean a refusal, e.g. ['292', '293']")
        return frozenset()
    found: set[str] = set()
    for index, item in enumerate(value):
        status = str(item)
        if not (len(status) == 3 and status.isdigit() and status.startswith("2")):
            problems.error(node.child(str(index)), "E-EXTENSION", f"{status!r} is not a 2xx status code",
                           "only 2xx responses need this; other statuses are errors already")
        elif status not in documented:
            problems.error(node.child(str(index)), "E-EXTENSION", f"{status} is not among the operation's responses",
                           f"document the {status} response under 'responses', or remove it here")
        else:
            found.add(status)
    return frozenset(found)
