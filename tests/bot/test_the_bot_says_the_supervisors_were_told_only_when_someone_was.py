"""Two messages said "the supervisors have been told" whoever was: the nudge of a follow-up
overdue, and the answer to an escalation. A lone supervisor's own case, or a team with no
supervisor active, told nobody, and the person was led to think someone else would step in
(an escalation even said next that no supervisor was registered yet, to a supervisor). Now
each says so only when someone oversees besides them (or the supervisors' group was told);
otherwise it says that no supervisor was told.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_people_lifecycle import deactivate
from tests.bot.test_reminders import TUESDAY_9AM, case_waiting_for_follow_up
from tests.bot.walk import open_case, words

pytestmark = pytest.mark.asyncio

#: 24 working hours after Tuesday 09:00: the follow-up is overdue.
OVERDUE = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


async def nudged(world: World, owner: Person) -> str:
    """Let the owner's follow-up fall due and then overdue: the nudge they get."""
    await case_waiting_for_follow_up(owner)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    world.clock.now = OVERDUE
    await world.scheduler.tick()
    await world.scheduler.tick()  # the supervisors' notices, if any were planned
    return owner.messages[-1].plain_text


async def test_a_lone_supervisors_own_overdue_follow_up_says_no_supervisor_was_told(
    world: World,
) -> None:
    text = await nudged(world, world.minh)
    assert "no supervisor was told" in text
    assert "The supervisors have been told" not in text


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_an_overdue_follow_up_with_nobody_overseeing_says_no_supervisor_was_told(
    world: World, language: str
) -> None:
    owner = world.lan if language == "en" else world.hoa
    await deactivate(world, world.minh)  # nobody oversees now
    text = await nudged(world, owner)
    told = words(owner, "reminder.follow_up_overdue", case=1, customer="", due="")
    untold = words(owner, "reminder.follow_up_overdue_untold", case=1, customer="", due="")
    said = set(told.split(". ")) - set(untold.split(". "))  # the claim the nudge made
    assert said
    assert not any(claim in text for claim in said)
    assert untold.split(". ")[1] in text


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_an_overdue_follow_up_says_the_supervisors_were_told_when_they_were(
    world: World, language: str
) -> None:
    owner = world.lan if language == "en" else world.hoa
    text = await nudged(world, owner)
    told = words(owner, "reminder.follow_up_overdue", case=1, customer="", due="")
    assert told.split(". ")[1] in text
    assert any("Overdue follow-up" in m.plain_text for m in world.minh.messages)


async def escalated(owner: Person) -> str:
    """Escalate a case of the owner's, with a reason: what the bot answers."""
    await open_case(owner)
    await owner.press("⚠")
    await owner.send("Khách dọa đăng lên báo")
    return "\n".join(m.plain_text for m in owner.messages[-3:])


async def test_a_lone_supervisors_escalation_says_no_supervisor_was_told(world: World) -> None:
    text = await escalated(world.minh)
    assert words(world.minh, "escalate.nobody", case=1) in text
    assert words(world.minh, "escalate.sent", case=1) not in text
    assert "No supervisor is registered yet" not in text


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_an_escalation_with_nobody_overseeing_says_no_supervisor_was_told(
    world: World, language: str
) -> None:
    owner = world.lan if language == "en" else world.hoa
    await deactivate(world, world.minh)
    text = await escalated(owner)
    assert words(owner, "escalate.nobody", case=1) in text
    assert words(owner, "escalate.sent", case=1) not in text


async def test_an_escalation_tells_the_supervisors_and_says_so(world: World) -> None:
    text = await escalated(world.lan)
    assert words(world.lan, "escalate.sent", case=1) in text
    assert "Khách dọa đăng lên báo" in world.minh.messages[-1].plain_text
