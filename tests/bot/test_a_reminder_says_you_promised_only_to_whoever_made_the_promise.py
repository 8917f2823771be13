"""A promised fix's reminder said "you promised …" to the case's owner, and a review's
"you chose to wait and see", whoever had: the owner a case was handed to read that they
had promised what the former owner had, and an owner whose case a supervisor carried on read
the supervisor's promise as their own. Each now names whoever made it, to anyone else; "you"
only to them.
"""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_a_supervisor_hands_a_case_over import hand_over
from tests.bot.test_reminders import FIX_ASKED, promised_fix
from tests.bot.test_review_conversation import looked_again, waiting_to_see
from tests.bot.walk import at_the_promised_fix_question, choose, label, open_case, words

pytestmark = pytest.mark.asyncio

CUSTOMER = "Nguyễn Thị Hương"


def fix_reminder(person: Person) -> str:
    """The promised fix's reminder the person was sent."""
    asked = FIX_ASKED[person.language_code or "en"]
    [said] = [m.plain_text for m in person.messages if m.plain_text.startswith(f"🔧 {asked}")]
    return said


def opening(person: Person, key: str, **params: object) -> str:
    """The words of `key` up to what was promised: who promised, to the reader."""
    return words(person, key, customer=CUSTOMER, action="", promised="", **params).split("“")[0]


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_fix_promised_before_the_case_was_handed_over_names_who_promised_it(
    world: World, language: str
) -> None:
    former, taker = (world.hoa, world.lan) if language == "en" else (world.lan, world.hoa)
    case_id = await promised_fix(former)
    await hand_over(world.minh, case_id, f"👤 {taker.first_name}")
    world.clock.advance(hours=2)
    assert (await world.scheduler.tick()).sent == 1
    said = fix_reminder(taker)
    made_by = opening(taker, "reminder.made_by.fix_due", case=case_id, staff=former.first_name)
    assert made_by in said
    assert opening(taker, "reminder.fix_due", case=case_id) not in said


async def test_a_fix_a_supervisor_promised_on_someones_case_names_the_supervisor(
    world: World,
) -> None:
    case_id = await open_case(world.lan)
    await world.minh.send(f"/case {case_id}")
    await world.minh.press("▶ Carry on with this case")
    await at_the_promised_fix_question(world.minh)
    await choose(world.minh, "in_2h")
    world.clock.advance(hours=2)
    assert (await world.scheduler.tick()).sent == 1
    said = fix_reminder(world.lan)
    assert opening(world.lan, "reminder.made_by.fix_due", case=case_id, staff="Minh") in said
    assert "you promised" not in said


async def test_a_fix_the_owner_promised_says_they_promised_it(world: World) -> None:
    case_id = await promised_fix(world.lan)
    world.clock.advance(hours=2)
    await world.scheduler.tick()
    assert opening(world.lan, "reminder.fix_due", case=case_id) in fix_reminder(world.lan)


@pytest.mark.parametrize("locale", ["en", "vi"])
async def test_a_wait_a_supervisor_chose_on_someones_review_names_the_supervisor(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    case_id = await waiting_to_see(person, world, "Trần Minh", "In a week")
    await supervisor.send(f"/case {case_id}")
    await supervisor.press(words(supervisor, "button.carry_on"))
    await supervisor.send("Called her: still unsure")
    await supervisor.press(label(supervisor, "Wait and see"))
    await supervisor.press(label(supervisor, "In a month"))
    world.clock.advance(days=40)
    await world.scheduler.tick()
    [said] = looked_again(person)
    name = supervisor.first_name
    key = "reminder.made_by.ladder_check"
    assert words(person, key, customer="Trần Minh", case=case_id, staff=name) in said
