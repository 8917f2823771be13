"""A report's period and a case list's dates typed as people write them — one day
(`hôm nay`, `yesterday`, `20/11`), two dates without their year or joined by a dash or by
words (`1/11 - 20/11`, `từ 1/11 đến 20/11`, `1/11 to 20/11`), a month by its name (`Nov
2026`, `tháng 11 năm 2026`), one day said as a start (`từ 1/11`, `since 1/11`, `1/11 đến
nay`: to today), the last days counted (`7 ngày qua`, `last 7 days`) or a unit so far (`từ
đầu tháng`, `month to date`) — give what the same days written in full give, never the usage
or a search for a customer named so. In both languages. Before, `/report từ 1/11` reported
1 November alone, `since 1/11`, `7 ngày qua` and `từ đầu tháng` got the usage, and `/cases`
read `-`, `từ`, `đến` and `to` as a customer's name."""

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
        ("từ 1/11", "2026-11-01 2026-11-23"),
        ("kể từ 1/11", "2026-11-01 2026-11-23"),
        ("1/11 đến nay", "2026-11-01 2026-11-23"),
        ("7 ngày qua", "2026-11-17 2026-11-23"),
        ("từ đầu tháng", "2026-11-01 2026-11-23"),
    ],
    "en": [
        ("1/11 to 20/11", "2026-11-01 2026-11-20"),
        ("1/11 - 20/11", "2026-11-01 2026-11-20"),
        ("today", "2026-11-23 2026-11-23"),
        ("yesterday", "2026-11-22 2026-11-22"),
        ("Nov 2026", "2026-11-01 2026-11-30"),
        ("November", "2026-11-01 2026-11-30"),
        ("since 1/11", "2026-11-01 2026-11-23"),
        ("from 1/11", "2026-11-01 2026-11-23"),
        ("1/11 to date", "2026-11-01 2026-11-23"),
        ("last 7 days", "2026-11-17 2026-11-23"),
        ("month to date", "2026-11-01 2026-11-23"),
    ],
}
LISTED = {
    "vi": [
        ("1/11 30/11", "2026-11-01 2026-11-30"),
        ("hôm nay", "2026-11-23"),
        ("1/11 - 20/11", "2026-11-01 2026-11-20"),
        ("từ 1/11 đến 20/11", "2026-11-01 2026-11-20"),
        ("từ 1/11", "2026-11-01 2026-11-23"),
        ("1/11 đến nay", "2026-11-01 2026-11-23"),
        ("từ hôm qua", "2026-11-22 2026-11-23"),
    ],
    "en": [
        ("1/11 30/11", "2026-11-01 2026-11-30"),
        ("today", "2026-11-23"),
        ("1/11 to 20/11", "2026-11-01 2026-11-20"),
        ("since 1/11", "2026-11-01 2026-11-23"),
        ("1/11 to date", "2026-11-01 2026-11-23"),
    ],
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
