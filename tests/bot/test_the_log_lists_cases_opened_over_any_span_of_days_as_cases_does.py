"""The Mini App's log filtered from a day years back lists the cases opened since, as `/cases`
does in chat for the same two days — never "that period is too long", which only the report
says of its figures. Days back to front are still refused, in the reader's words."""

from __future__ import annotations

import pytest

from flows.scripts import plain
from tests.bot.conftest import HOA, LAN, World
from tests.bot.miniapp_site import serving
from tests.bot.walk import open_case, words

pytestmark = pytest.mark.asyncio

YEARS_BACK = {"from": "2020-01-01", "to": "2026-11-30"}


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_a_log_filtered_from_years_back_lists_what_cases_lists(
    world: World, language: str
) -> None:
    person, telegram_id = (world.hoa, HOA) if language == "vi" else (world.lan, LAN)
    case_id = await open_case(person)
    await person.send(f"/cases {YEARS_BACK['from']} {YEARS_BACK['to']}")
    async with serving(world) as site:
        listed = await site.post("cases", YEARS_BACK, telegram_id)
        reversed_ = await site.post(
            "cases", {"from": "2026-11-30", "to": "2020-01-01"}, telegram_id
        )
    assert f"#{case_id} ·" in plain(person.last_text)
    assert [row["id"] for row in listed.json()["rows"]] == [case_id]
    assert reversed_.status_code == 400
    assert reversed_.json()["message"] == words(person, "report.reversed")
