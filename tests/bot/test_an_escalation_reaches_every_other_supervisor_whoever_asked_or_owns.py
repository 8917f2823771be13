"""An escalation reaches every active supervisor but whoever escalates.

An escalation asks the supervisors to step in. A supervisor who asked for the decision the
case waits on (they entered a compensation above the limit on a staff member's case), or
who owns the case another supervisor escalates, still oversees the team: they are told, and
the one who escalated is told the supervisors were.

Before, the escalation went only to the supervisors who might decide the case's request:
with the lone supervisor the one who asked, nobody was told, and the staff member read that
nobody else oversees the team.
"""

from __future__ import annotations

import pytest

from flows.scripts import LOCALES
from tests.bot.conftest import World
from tests.bot.test_decisions import lone_supervisor_asking, second_supervisor, take_over
from tests.bot.walk import open_case, words

pytestmark = pytest.mark.asyncio

REASON = "Khách dọa đăng lên báo"


@pytest.mark.parametrize("locale", LOCALES)
async def test_the_supervisor_who_asked_for_the_decision_is_told_of_an_escalation(
    world: World, locale: str
) -> None:
    person, supervisor, case_id = await lone_supervisor_asking(world, locale)
    before = len(supervisor.messages)
    await person.press("⚠")
    await person.send(REASON)
    told = "\n".join(m.plain_text for m in person.messages[-3:])
    assert words(person, "escalate.sent", case=case_id) in told
    assert words(person, "escalate.nobody", case=case_id) not in told
    assert any(REASON in m.plain_text for m in supervisor.messages[before:])


async def test_a_supervisor_is_told_when_another_escalates_their_own_case(
    world: World,
) -> None:
    thu = await second_supervisor(world, "vi")
    case_id = await open_case(thu)  # Thu's own case
    await take_over(world.minh, case_id)
    before = len(thu.messages)
    await world.minh.press("⚠")
    await world.minh.send(REASON)
    told = "\n".join(m.plain_text for m in world.minh.messages[-3:])
    assert words(world.minh, "escalate.sent", case=case_id) in told
    assert any(REASON in m.plain_text for m in thu.messages[before:])
