"""A report's period and a case list's dates typed as people write them — one day
(`hôm nay`, `yesterday`, `20/11`), two dates without their year or joined by a dash or by
words (`1/11 - 20/11`, `từ 1/11 đến 20/11`, `1/11 to 20/11`), a month by its name (`Nov
2026`, `tháng 11 năm 2026`) — give what the same days written in full give, never the usage
or a search for a customer named so. In both languages."""

from __future__ import annotations

import pytest

from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.walk import asking_approval

pytestmark = pytest.mark.asyncio

#: Typed on Monday 23/11/2026, and the same days written in full.
REPORTED = {
    "vi": [
        ("1/11 - 20/11", "2026-11-01 2026-11-20"),
        ("từ 1/11 đến 20/11", "2026-11-01 2026-11-20"),
        ("01/11/2026-20/11/2026", "2026-11-01 2026-11-20"),
        ("hôm nay", "2026-11-23 2026-11-23"),
        ("hôm qua", "2026-11-22 2026-11-22"),
        ("20/11", "2026-11-20 2026-11-20"),
        ("tháng 11 năm 2026", "2026-11-01 2026-11-30"),
    ],
    "en": [
        ("1/11 to 20/11", "2026-11-01 2026-11-20"),
        ("1/11 - 20/11", "2026-11-01 2026-11-20"),
        ("today", "2026-11-23 2026-11-23"),
        ("yesterday", "2026-11-22 2026-11-22"),
        ("Nov 2026", "2026-11-01 2026-11-30"),
        ("November", "2026-11-01 2026-11-30"),
    ],
}
LISTED = {
    "vi": [("1/11 30/11", "2026-11-01 2026-11-30"), ("hôm nay", "2026-11-23")],
    "en": [("1/11 30/11", "2026-11-01 2026-11-30"), ("today", "2026-11-23")],
}


async def answered(world: World, person: Person, command: str) -> list[str]:
    """What the bot says to a command once its work is done: every text, in order."""
    since = len(person.messages)
    await person.send(command)
    await world.work_done()
    return [m.plain_text for m in person.messages[since:] if m.kind == "text"]


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_report_of_days_typed_as_people_write_them_is_the_report_of_those_days(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    await asking_approval(person)
    for typed, written in REPORTED[locale]:
        expected = await answered(world, supervisor, f"/report {written}")
        assert await answered(world, supervisor, f"/report {typed}") == expected, typed


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_case_list_of_days_typed_as_people_write_them_lists_those_days(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    await asking_approval(person)
    for typed, written in LISTED[locale]:
        expected = await answered(world, person, f"/cases {written}")
        assert await answered(world, person, f"/cases {typed}") == expected, typed
