"""⏸ Pause, and the case taken up again after it, are entries of the case's timeline — in
/case N and on the Mini App's page alike, in the reader's language — however the work is
taken up again (the case pressed in /cases, an answer pressed on the card left above, a
note), and after a restart too. A pause pressed twice is one entry; taking the case up
leaves the card's buttons working.

Before, a pause left no trace: the timeline read as if the case had been worked on without
a break.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from flows.procedures.complaint import Step
from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import HOA, LAN, World, restarted
from tests.bot.miniapp_site import serving
from tests.bot.walk import open_case, walk_to_fix, words

pytestmark = pytest.mark.asyncio

READER = {"en": ("lan", LAN), "vi": ("hoa", HOA)}


async def paused(world: World, locale: str) -> tuple[Person, int]:
    """A complaint at its apology, paused by its owner."""
    person: Person = getattr(world, READER[locale][0])
    case_id = await open_case(person)
    await person.press(words(person, "button.pause"))
    return person, case_id


async def kinds(world: World, case_id: int) -> list[str]:
    return [e.kind for e in await world.events(case_id)]


async def from_the_list(person: Person, case_id: int) -> None:
    await person.send("/cases")
    await person.press(next(b for b in person.buttons if b.startswith(f"#{case_id} ")))


async def on_the_card_above(person: Person, case_id: int) -> None:
    await walk_to_fix(person)  # its buttons, drawn before the pause, still answer it


async def with_a_note(person: Person, case_id: int) -> None:
    await person.press(words(person, "button.note"))
    await person.send("Khách hẹn gọi lại chiều nay")


TAKEN_UP: dict[str, Callable[[Person, int], Awaitable[None]]] = {
    "from the list": from_the_list,
    "on the card above": on_the_card_above,
    "with a note": with_a_note,
}


@pytest.mark.parametrize("how", list(TAKEN_UP))
@pytest.mark.parametrize("locale", LOCALES)
async def test_a_pause_and_the_case_taken_up_again_read_in_its_timeline(
    world: World, locale: str, how: str
) -> None:
    person, case_id = await paused(world, locale)
    await person.press(words(person, "button.pause"))  # pressed twice: paused once
    assert (await kinds(world, case_id)).count("paused") == 1
    await TAKEN_UP[how](person, case_id)
    logged = await kinds(world, case_id)
    assert logged.count("resumed") == 1
    assert logged.index("resumed") == logged.index("paused") + 1  # before the work done
    await person.send(f"/case {case_id}")
    timeline = person.messages[-1].plain_text
    assert words(person, "event.paused") in timeline
    assert timeline.index(words(person, "event.paused")) < timeline.index(
        words(person, "event.resumed")
    )


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_case_answered_on_the_card_drawn_before_its_pause_goes_on_from_there(
    world: World, locale: str
) -> None:
    person, case_id = await paused(world, locale)
    await on_the_card_above(person, case_id)
    assert (await world.case(case_id)).state == Step.fix
    assert (await kinds(world, case_id))[-3:] == ["paused", "resumed", "apologised"]


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_pause_reads_on_the_mini_apps_timeline_as_in_the_chat(
    world: World, locale: str
) -> None:
    person, case_id = await paused(world, locale)
    await from_the_list(person, case_id)
    async with serving(world) as site:
        entries = (await site.get(f"cases/{case_id}", READER[locale][1])).json()["events"]
    what = [entry["what"] for entry in entries]
    assert words(person, "event.paused") in what
    assert words(person, "event.resumed") in what


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_case_paused_before_a_restart_is_taken_up_again_on_its_timeline(
    world: World, database_url: str, locale: str
) -> None:
    person, case_id = await paused(world, locale)
    async with restarted(world, database_url):
        await from_the_list(person, case_id)
    assert (await kinds(world, case_id))[-2:] == ["paused", "resumed"]
