"""A contract's renewal is never behind us: a renewal day typed without its year that has
gone by this year ("31/7" typed in November) is next year's, and the notice date is
proposed from it, rather than refused as a moment already passed; in both languages."""

from __future__ import annotations

import pytest

from flows.scripts import LOCALES
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_review_conversation import add_customer, approved_termination
from tests.bot.walk import words

pytestmark = pytest.mark.asyncio

#: The notice date proposed for a renewal on 31/07/2027, as each reader sees it.
NOTICE = {"en": "2027-04-30", "vi": "30/04/2027"}


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_renewal_day_gone_by_this_year_is_next_years(world: World, locale: str) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    await add_customer(world, "Công ty Sao Việt", "business")
    case_id = await approved_termination(
        world, "Công ty Sao Việt", added=True, staff=person, supervisor=supervisor
    )
    await person.send("31/7")  # today is 23/11/2026
    assert (await world.case(case_id)).draft["renewal_date"] == "2027-07-31"
    proposed = words(person, "review.notice_date", case=case_id, notice=NOTICE[locale], months=3)
    assert proposed in "\n".join(m.plain_text for m in person.messages[-2:])
