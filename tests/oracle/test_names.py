"""A model built with its Python attribute names goes out under its wire names, and nothing else."""

from __future__ import annotations

import json

import httpx
import pytest

from .corpus_packages import corpus_package
from .harness import Package


@pytest.fixture(scope="module")
def names() -> Package:
    return corpus_package("names")


def test_a_model_built_with_python_names_is_sent_with_wire_names(names: Package) -> None:
    models = names.module.models
    fields = {f.alias or n: n for n, f in models.Thing.model_fields.items()}
    thing = models.Thing(**{fields["from"]: "a", fields["_id"]: "b", fields["class"]: 1})
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=json.loads(request.content))

    client = names.module.Names(http_client=httpx.Client(transport=httpx.MockTransport(answer)))
    stored = client.things.update(body=[thing])
    # A PATCH: a wire name sent as null, or a Python name sent as an extra field, would change the record.
    assert json.loads(sent[0].content) == [{"from": "a", "_id": "b", "class": 1}]
    assert getattr(stored[0], fields["from"]) == "a" and stored[0].model_extra == {}
