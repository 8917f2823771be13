"""A report or an export of the days between two dates is read as a period named by words
is: one not over runs to today (its figures, its days and its files say so, never days to
come), and one that has not begun is refused — in the chat in both languages, and in the
Mini App's report."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import MINH, World, staff_and_supervisor
from tests.bot.miniapp_site import Site, serving
from tests.bot.walk import asking_approval, words

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def site(world: World) -> AsyncIterator[Site]:
    async with serving(world) as served:
        yield served


async def answered(world: World, person: Person, command: str) -> list[str]:
    """What the bot says to a command once its work is done: every text, in order."""
    since = len(person.messages)
    await person.send(command)
    await world.work_done()
    return [m.plain_text for m in person.messages[since:] if m.kind == "text"]


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_period_not_over_runs_to_today_as_this_month_does(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    await asking_approval(person)  # today is 23 November 2026
    for command in ("/report", "/export"):
        named = await answered(world, supervisor, f"{command} this month")
        assert await answered(world, supervisor, f"{command} 2026-11-01 2026-11-30") == named
        assert await answered(world, supervisor, f"{command} 01/11/2026 31/01/2027") == named


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_period_typed_as_dates_that_has_not_begun_is_refused(
    world: World, locale: str
) -> None:
    _, supervisor = await staff_and_supervisor(world, locale)
    for command in ("/report", "/export"):
        said = await answered(world, supervisor, f"{command} 2026-11-24 2026-12-31")
        assert said == [words(supervisor, "report.not_begun")]


async def test_the_mini_apps_report_of_two_dates_runs_to_today(site: Site) -> None:
    report = (await site.get("report?from=2026-11-01&to=2026-12-31", MINH)).json()
    assert (report["first"], report["last"]) == ("2026-11-01", "2026-11-23")
    to_come = await site.get("report?from=2026-11-24&to=2026-12-31", MINH)
    assert to_come.status_code == 400
