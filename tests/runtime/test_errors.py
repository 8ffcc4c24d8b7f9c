"""Typed errors: one class per status, the decoded body kept, and bodies that are not what the spec says."""

from __future__ import annotations

from types import ModuleType

import pytest

from ._clients import Flavour
from ._server import Reply, Server, ok

CLASSES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    405: "MethodNotAllowedError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
    500: "InternalServerError",
    502: "InternalServerError",
    503: "InternalServerError",
    504: "InternalServerError",
    418: "APIStatusError",
}


@pytest.mark.parametrize("status", sorted(CLASSES))
def test_each_status_raises_its_class_with_the_decoded_body(flavour: Flavour, server: Server, toy: ModuleType,
                                                            status: int) -> None:
    body = {"message": "no such thing", "code": status}
    server.route("GET", "/things/1", ok(body, status=status))
    with flavour.toy(base_url=server.url, max_retries=0) as client, pytest.raises(toy.APIStatusError) as caught:
        client.things.retrieve("1")
    error = caught.value
    assert type(error) is getattr(toy, CLASSES[status])
    assert error.status_code == status
    assert error.body == body
    assert error.response.status_code == status
    assert str(error).startswith(f"GET /things/1 returned {status}")
    assert "no such thing" in str(error)


def test_an_empty_error_body_is_none(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    server.route("DELETE", "/things/1", Reply(409))
    with flavour.toy(base_url=server.url) as client, pytest.raises(toy.ConflictError) as caught:
        client.things.delete("1")
    assert caught.value.body is None
    assert str(caught.value) == "DELETE /things/1 returned 409 Conflict"


def test_a_non_json_error_body_is_kept_as_text(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    page = b"<html><body>Bad   gateway\n upstream</body></html>"
    server.route("POST", "/things", Reply(502, body=page, headers={"Content-Type": "text/html"}))
    with flavour.toy(base_url=server.url) as client, pytest.raises(toy.InternalServerError) as caught:
        client.things.create(id="1")
    assert caught.value.body == page.decode()
    assert "Bad gateway upstream" in str(caught.value)


def test_an_error_document_is_decoded_into_details(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    document = {"errors": [{"status": "422", "code": "too_long", "title": "Invalid", "detail": "name is too long",
                            "source": {"pointer": "/data/attributes/name"}}]}
    server.route("POST", "/things", ok(document, status=422))
    with flavour.toy(base_url=server.url) as client, pytest.raises(toy.UnprocessableEntityError) as caught:
        client.things.create(id="1", name="x" * 500)
    [detail] = caught.value.errors
    assert (detail.code, detail.detail, detail.pointer) == ("too_long", "name is too long", "/data/attributes/name")


def test_malformed_json_in_a_200_is_a_response_validation_error(flavour: Flavour, server: Server,
                                                                toy: ModuleType) -> None:
    server.route("GET", "/things/1", Reply(200, body=b'{"id": "1",', headers={"Content-Type": "application/json"}))
    with flavour.toy(base_url=server.url) as client, pytest.raises(toy.APIResponseValidationError) as caught:
        client.things.retrieve("1")
    error = caught.value
    assert error.status_code == 200
    assert error.body == '{"id": "1",'
    assert "GET /things/1" in str(error) and "json" in str(error).lower()
    assert server.hits() == 1  # a bad body is not a reason to ask again


def test_a_body_that_does_not_match_the_schema_says_where(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    server.route("GET", "/things/1", ok({"name": "no id"}))
    with flavour.toy(base_url=server.url) as client, pytest.raises(toy.APIResponseValidationError) as caught:
        client.things.retrieve("1")
    assert caught.value.body == {"name": "no id"}
    assert "first at id" in str(caught.value)


def test_an_html_page_instead_of_json_is_a_response_validation_error(flavour: Flavour, server: Server,
                                                                     toy: ModuleType) -> None:
    server.route("GET", "/things/1", Reply(200, body=b"<html>maintenance</html>", headers={"Content-Type": "text/html"}))
    with flavour.toy(base_url=server.url) as client, pytest.raises(toy.APIResponseValidationError) as caught:
        client.things.retrieve("1")
    assert caught.value.body == "<html>maintenance</html>"


def test_every_error_is_an_api_error(toy: ModuleType) -> None:
    for name in [*set(CLASSES.values()), "APIConnectionError", "APITimeoutError", "APIResponseValidationError",
                 "ConfigurationError"]:
        assert issubclass(getattr(toy, name), toy.APIError), name
    assert issubclass(toy.APITimeoutError, toy.APIConnectionError)
