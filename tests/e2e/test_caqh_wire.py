"""CAQH reads Basic credentials as ISO-8859-1 (its specification: "base64-encoded (iso-8859-1)"): the bytes on
the wire, and credentials that charset cannot carry refused before anything is sent."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from .loopback import Answer, Seen, Server, serve, use_generated

use_generated("caqh")

from caqh_client import AsyncCaqh, Caqh, ConfigurationError  # noqa: E402

# "Zoë:pässwörd" in ISO-8859-1 is 5a 6f eb 3a 70 e4 73 73 77 f6 72 64, which is this in base64
# (UTF-8 would give "Wm/Dqzpww6Rzc3fDtnJk").
LATIN_1 = b"Authorization: Basic Wm/rOnDkc3N39nJk"
QUERY = {"organization_id": "1234", "caqh_provider_id": "12345678"}


def route(server: Server, request: Seen) -> Answer:
    return Answer(200, {"provider_found_flag": "N"})


@pytest.fixture
def server() -> Iterator[Server]:
    with serve(route) as running:
        yield running


def test_non_ascii_credentials_go_as_iso_8859_1(server: Server) -> None:
    with Caqh(username="Zoë", password="pässwörd", base_url=server.base_url) as client:
        found = client.provider_statuses.retrieve(product="PV", **QUERY)
    assert found.provider_found_flag == "N"
    [seen] = server.seen
    assert [line for line in seen.header_lines() if line.startswith(b"Authorization:")] == [LATIN_1]


def test_the_async_client_encodes_them_alike(server: Server) -> None:
    async def run() -> None:
        async with AsyncCaqh(username="Zoë", password="pässwörd", base_url=server.base_url) as client:
            await client.provider_statuses.retrieve(product="PV", **QUERY)

    asyncio.run(run())
    [seen] = server.seen
    assert [line for line in seen.header_lines() if line.startswith(b"Authorization:")] == [LATIN_1]


@pytest.mark.parametrize(("username", "password", "named"), [("Zoë€", "pässwörd", "username"),
                                                             ("Zoë", "pässwörd\u2603", "password")])
def test_credentials_iso_8859_1_cannot_carry_are_refused_before_sending(server: Server, username: str, password: str,
                                                                         named: str) -> None:
    with Caqh(username=username, password=password, base_url=server.base_url) as client:
        with pytest.raises(ConfigurationError) as refused:
            client.provider_statuses.retrieve(product="PV", **QUERY)

    async def run() -> ConfigurationError:
        async with AsyncCaqh(username=username, password=password, base_url=server.base_url) as client:
            with pytest.raises(ConfigurationError) as raised:
                await client.provider_statuses.retrieve(product="PV", **QUERY)
            return raised.value

    for error in (refused.value, asyncio.run(run())):
        message = str(error)
        assert named in message and "iso-8859-1" in message
        assert username not in message and password not in message and "Zo" not in message
        # Not in the errors chained to it either, which a traceback or an error tracker shows.
        chain: list[BaseException] = []
        link: BaseException | None = error
        while link is not None:
            chain.append(link)
            link = link.__cause__ or link.__context__
        assert not any(isinstance(e, UnicodeError) for e in chain)
        assert not any(username in repr(e) or password in repr(e) for e in chain)
    assert server.seen == []
