"""What an offer is worth is above zero: a complaint's compensation or a goodbye's goodwill
typed as 0 (or "0đ", "0k") is asked again with why, never recorded as an offer of 0 VND
nor put in words that promise the customer "…"; in both languages."""

from __future__ import annotations

import pytest

from flows.scripts import LOCALES
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_review_conversation import approved_termination
from tests.bot.walk import label, open_case, walk_to_compensate, words

pytestmark = pytest.mark.asyncio

NOTHING = ("0", "0đ", "0k")


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_compensation_worth_nothing_is_asked_again(world: World, locale: str) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await person.press(label(person, "Voucher"))
    instead = words(person, "option.none")
    for typed in NOTHING:
        await person.send(typed)
        assert person.last_text == words(person, "error.nothing_offered_instead", option=instead)
    case = await world.case(case_id)
    assert (case.state, "value" in case.draft) == ("compensate", False)
    await person.send("200k")
    assert (await world.case(case_id)).compensation_total == 200_000


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_goodwill_offer_worth_nothing_is_asked_again(world: World, locale: str) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    case_id = await approved_termination(world, staff=person, supervisor=supervisor)
    await person.press(label(person, "Ready"))
    await person.send("Thanked")
    await person.send("Listened")
    await person.press(label(person, "Refund the last period"))
    for typed in NOTHING:
        await person.send(typed)
        assert person.last_text == words(person, "error.nothing_offered")
    assert "goodwill_value" not in (await world.case(case_id)).draft
    await person.send("300k")
    assert (await world.case(case_id)).draft["goodwill_value"] == 300_000
    assert "…" not in person.last_text.split(words(person, "case.recorded_so_far"))[0]
