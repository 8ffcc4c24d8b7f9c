"""An operation as the methods it makes: one, or one per `x-careforge-variants` entry, each with the body
it sends and the responses it reads (a variant's own in place of the operation's)."""

from __future__ import annotations

from dataclasses import dataclass

from ..resolve import Cursor
from ..spec_walk import OperationSite
from .mechanics import PREFIX as EXTENSION


@dataclass(frozen=True, slots=True)
class Form:
    body: Cursor  # the Request Body Object (its value None when there is none)
    responses: dict[str, Cursor]  # by status, upper case
    where: Cursor  # the variant, or the operation


def forms(site: OperationSite, method: str) -> dict[str, Form]:
    """By method name; `method` names the operation's one method when it lists no variants."""
    op = site.operation
    shared = {str(k).upper(): c for k, c in op.child("responses").items()}
    variants = op.child(EXTENSION + "variants")
    if not isinstance(variants.value, dict) or not variants.value:
        return {method: Form(op.child("requestBody"), shared, op)}
    found = {}
    for name, variant in variants.items():
        if isinstance(variant.value, dict):
            body = variant.child("requestBody") if "requestBody" in variant.value else op.child("requestBody")
            own = {str(k).upper(): c for k, c in variant.child("responses").items()}
            found[name] = Form(body, {**shared, **own}, variant)
    return found
