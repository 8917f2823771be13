"""The Mini App's pager line, "Cases 51–100", comes from the scripts with its numbers written
the reader's way ("Hồ sơ 1.001–1.050"), as every other word of the page: the server says it,
counting on from the rows the earlier pages showed (carried in the cursor, or the offset)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.miniapp_site import serving
from tests.bot.test_miniapp_paging import seed

pytestmark = pytest.mark.asyncio
SAID = {
    "vi": ("Hồ sơ 1–50", "Hồ sơ 51–100", "Hồ sơ 101–150", "Hồ sơ 1.001–1.050"),
    "en": ("Cases 1–50", "Cases 51–100", "Cases 101–150", "Cases 1,001–1,050"),
}


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_each_page_says_which_cases_it_shows(world: World, language: str) -> None:
    reader = (await staff_and_supervisor(world, language))[1].telegram_id
    await seed(world, 1050)
    said: list[str] = []
    ask: dict[str, Any] = {"who": reader, "language": language}
    body: dict[str, Any] = {"sort": "updated", "order": "desc"}
    async with serving(world) as site:
        for _ in range(3):
            page = (await site.post("cases", body, **ask)).json()
            said.append(page["range"])
            body = {**body, "after": page["next"]}
        by_offset = (await site.post("cases", {"offset": 1000}, **ask)).json()
        nothing = (await site.post("cases", {"search": "nobody"}, **ask)).json()
        script = (await site.client.get("app.js")).text
    assert [*said, by_offset["range"]] == list(SAID[language])
    assert nothing["range"] == ""
    assert 'w("rows"' not in script  # the page shows the line, it does not build it
