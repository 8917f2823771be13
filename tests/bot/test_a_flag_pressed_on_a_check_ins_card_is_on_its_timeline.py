"""The customer flagged at risk from a check-in's closing card (what the check-in heard as
the reason) is an entry of that check-in's timeline, with the reason, in /case N and on the
Mini App's page, in the reader's language.

Before, the press changed what the case showed (its customer at risk) and left no trace on
its timeline.
"""

from __future__ import annotations

import pytest

from tests.bot.conftest import HOA, LAN, World
from tests.bot.miniapp_site import serving
from tests.bot.test_check_in_flags_a_wavering_customer import HEARD, WORDS, checked_in
from tests.bot.test_review_conversation import add_customer
from tests.bot.walk import words

pytestmark = pytest.mark.asyncio

READERS = {"lan": LAN, "hoa": HOA}


@pytest.mark.parametrize("who", list(READERS))
async def test_a_flag_pressed_on_a_check_ins_card_is_an_entry_of_its_timeline(
    world: World, who: str
) -> None:
    await add_customer(world, "Phan Thu Hà")
    person, case_id = await checked_in(world, who, HEARD[(who, "leaving")][0])
    await person.press(WORDS[who]["flag"])
    flagged = [e for e in await world.events(case_id) if e.kind == "at_risk"]
    assert [e.data for e in flagged] == [{"reason": "Evening delivery"}]
    await person.send(f"/case {case_id}")
    entry = f"{words(person, 'event.at_risk')}\n• Evening delivery"
    assert entry in person.last_text
    async with serving(world) as site:
        page = (await site.get(f"cases/{case_id}", READERS[who])).json()["events"]
    assert words(person, "event.at_risk") in [e["what"] for e in page]
