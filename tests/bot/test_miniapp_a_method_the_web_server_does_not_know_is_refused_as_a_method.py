"""A method Tornado itself refuses on the API (TRACE, PROPFIND, …) is answered as every
other method the API does not take: 405, "the case log cannot do that here", in the
browser's language — not "that request could not be read"."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.bot.conftest import LAN, World
from tests.bot.miniapp_site import Site, serving


@pytest.fixture
async def site(world: World) -> AsyncIterator[Site]:
    async with serving(world) as served:
        yield served


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "CONNECT"])
async def test_a_method_the_web_server_does_not_know_gets_the_wrong_method_refusal(
    site: Site, method: str, language: str
) -> None:
    headers = {**site.headers(LAN), "Accept-Language": language}
    answer = await site.client.request(method, "api/cases/1", headers=headers)
    assert answer.status_code == 405
    assert answer.headers["cache-control"] == "no-store"
    assert "access-control-allow-origin" not in answer.headers
    words = site.world.services.scripts
    assert answer.json() == {
        "error": "miniapp.wrong_method",
        "message": words.get(language, "miniapp.wrong_method"),
    }


async def test_a_cors_preflight_from_another_site_is_refused_and_allows_nothing(
    site: Site,
) -> None:
    preflight = {
        "Origin": "https://elsewhere.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    answer = await site.client.request("OPTIONS", "api/cases", headers=preflight)
    assert answer.status_code == 401  # a preflight carries no initData
    assert set(answer.json()) == {"error", "message"}
    assert not [name for name in answer.headers if name.startswith("access-control-")]
