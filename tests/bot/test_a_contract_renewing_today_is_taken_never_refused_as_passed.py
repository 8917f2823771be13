"""A business's contract that comes up for renewal today has not passed: typed as today's
date, with or without its year, or as "hôm nay" / "today", it is recorded, and the notice
date (gone by) is said as such; in both languages. Only a day before today has passed."""

from __future__ import annotations

import pytest

from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_review_conversation import add_customer, approved_termination
from tests.bot.walk import words

pytestmark = pytest.mark.asyncio

#: Today (the tests' clock: Monday 23/11/2026) as staff type it, in each language.
TODAY_TYPED = {"vi": ("hôm nay", "23/11", "23/11/2026"), "en": ("today", "23/11", "2026-11-23")}


async def at_the_renewal_question(world: World, locale: str) -> tuple[int, Person]:
    person, supervisor = await staff_and_supervisor(world, locale)
    await add_customer(world, "Công ty Sao Việt", "business")
    case_id = await approved_termination(
        world, "Công ty Sao Việt", added=True, staff=person, supervisor=supervisor
    )
    return case_id, person


@pytest.mark.parametrize(
    ("locale", "typed"), [(locale, typed) for locale in LOCALES for typed in TODAY_TYPED[locale]]
)
async def test_a_renewal_typed_as_today_is_recorded_as_today(
    world: World, locale: str, typed: str
) -> None:
    case_id, person = await at_the_renewal_question(world, locale)
    await person.send(typed)
    said = "\n".join(m.plain_text for m in person.messages[-3:])
    assert words(person, "error.date_in_past") not in said
    assert (await world.case(case_id)).draft["renewal_date"] == "2026-11-23"


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_renewal_typed_as_yesterday_has_passed(world: World, locale: str) -> None:
    case_id, person = await at_the_renewal_question(world, locale)
    await person.send("22/11/2026")
    assert words(person, "error.date_in_past") in person.last_text
    assert "renewal_date" not in (await world.case(case_id)).draft
