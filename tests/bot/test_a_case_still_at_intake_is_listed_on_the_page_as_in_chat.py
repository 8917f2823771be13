"""A case opened with /new and left before its customer was chosen is listed in the Mini App's
log as `/cases` lists it in chat: "customer not chosen yet", in the reader's words — not a
bare dash."""

from __future__ import annotations

import pytest

from flows.scripts import plain
from tests.bot.conftest import HOA, LAN, World
from tests.bot.miniapp_site import serving
from tests.bot.walk import case_number, words

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_a_case_without_its_customer_yet_is_said_to_have_none_chosen_on_the_page_and_in_chat(
    world: World, language: str
) -> None:
    person, telegram_id = (world.hoa, HOA) if language == "vi" else (world.lan, LAN)
    await person.send("/new")
    case_id = case_number(person.last_text)
    await person.send("/cases")
    listed = plain(person.last_text)
    async with serving(world) as site:
        [row] = (await site.post("cases", {}, telegram_id)).json()["rows"]
    not_chosen = words(person, "case.no_customer")
    assert (row["id"], row["customer"]) == (case_id, not_chosen)
    assert f"#{case_id} · {not_chosen} ·" in listed
