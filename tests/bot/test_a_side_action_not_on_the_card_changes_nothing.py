"""A side action the case's card does not offer as it stands changes nothing, even pressed
with the card's own version (a forged button, or a client that kept an old keyboard).

Before, "↩ Go back a step" pressed while an incident was being written stepped the case back
and threw the incident's answers away, though the card offers only "↩ Drop it" then; and
"↩ Drop it" pressed with no incident open touched the case all the same.
"""

from __future__ import annotations

import pytest

from bot import callbacks as cb
from flows.procedures.complaint import Step
from tests.bot.conftest import World
from tests.bot.walk import open_case, walk_to_fix

pytestmark = pytest.mark.asyncio

#: Each reader's words: documenting an incident, one kind of it, and the answer to a
#: button that is not on the card.
WORDS = {
    "lan": ("🚩 Log an incident", "Abuse of staff", "out of date"),
    "hoa": ("🚩 Ghi nhận sự việc", "Xúc phạm nhân viên", "đã cũ"),
}


@pytest.mark.parametrize("who", list(WORDS))
async def test_going_back_while_an_incident_is_written_keeps_the_step_and_the_incident(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    incident, kind, stale = WORDS[who]
    case_id = await open_case(person)
    await walk_to_fix(person)
    await person.press(incident)
    await person.press(kind)
    case = await world.case(case_id)
    before = (case.state, case.version, dict(case.draft))
    await person.press_data(cb.case_button(case_id, case.version, cb.ACT, "back"))
    assert stale in (world.api.answers[-1].get("text") or person.last_text)
    case = await world.case(case_id)
    assert (case.state, case.version, case.draft) == before
    assert before[0] == Step.fix


@pytest.mark.parametrize("who", list(WORDS))
async def test_dropping_an_incident_when_none_is_open_changes_nothing(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    *_, stale = WORDS[who]
    case_id = await open_case(person)
    await walk_to_fix(person)
    case = await world.case(case_id)
    before = (case.state, case.version, dict(case.draft))
    await person.press_data(cb.case_button(case_id, case.version, cb.ACT, "drop_incident"))
    assert stale in (world.api.answers[-1].get("text") or person.last_text)
    case = await world.case(case_id)
    assert (case.state, case.version, case.draft) == before
