"""A page left open longer than its signed initData lives is refused (401) in the language the
reader chose in the bot — the most common refusal anyone meets — not in their phone's, which
the webview's Accept-Language tells and which may well be another. Telegram's signature still
says who they are; only its age is refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from flows.scripts import plain
from tests.bot.conftest import HOA, LAN, STRANGER, World
from tests.bot.miniapp_site import Site, serving

TOO_OLD = timedelta(hours=2)  # the default allows an hour


@pytest.fixture
async def site(world: World) -> AsyncIterator[Site]:
    async with serving(world) as served:
        yield served


@pytest.mark.parametrize(("who", "chosen", "elsewhere"), [(LAN, "en", "vi"), (HOA, "vi", "en")])
async def test_a_page_open_too_long_is_refused_in_the_language_the_reader_chose(
    site: Site, who: int, chosen: str, elsewhere: str
) -> None:
    headers = {**site.headers(who, age=TOO_OLD, language=elsewhere), "Accept-Language": elsewhere}
    response = await site.client.get("api/me", headers=headers)
    assert response.status_code == 401
    assert response.json() == {
        "error": "expired",
        "message": plain(site.world.services.scripts.get(chosen, "miniapp.error_unauthorized")),
    }


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_stranger_with_an_old_page_is_refused_in_their_telegram_apps_language(
    site: Site, language: str
) -> None:
    headers = {**site.headers(STRANGER, age=TOO_OLD, language=language), "Accept-Language": "de"}
    response = await site.client.get("api/cases/1", headers=headers)
    assert response.status_code == 401
    words = site.world.services.scripts.get(language, "miniapp.error_unauthorized")
    assert response.json()["message"] == plain(words)
