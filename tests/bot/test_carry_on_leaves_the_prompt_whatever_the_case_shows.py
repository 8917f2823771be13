"""'▶ Carry on with this case' under a side action's prompt leaves the prompt behind whatever
the case shows by then: a request to decide, or its timeline once it has ended.

Before, a supervisor who pressed "📝 Add a note" on a colleague's case, and "▶ Carry on" once the
case had come to wait for their approval, was shown the request, but the next thing they
typed ("Looks fine to me") was still saved as a note on the case.
"""

from __future__ import annotations

import pytest

from bot import callbacks as cb
from tests.bot.conftest import World
from tests.bot.walk import compensate, open_case, walk_to_compensate

pytestmark = pytest.mark.asyncio


async def test_a_note_left_for_a_request_that_came_meanwhile_takes_no_text_as_the_note(
    world: World,
) -> None:
    lan, minh = world.lan, world.minh
    case_id = await open_case(lan)
    await walk_to_compensate(lan)
    await minh.press_data(cb.case_button(case_id, 0, cb.OPEN))
    await minh.press("📝 Add a note")
    prompt = minh.last
    await compensate(lan, "Refund", "2tr")  # over Lan's limit: the case waits for Minh
    await minh.press("▶ Carry on with this case", prompt)
    assert "✅ Approve" in minh.buttons
    case = await world.case(case_id)
    before = (case.version, dict(case.draft), len(await world.events(case_id)))
    await minh.send("Looks fine to me")
    case = await world.case(case_id)
    assert (case.version, case.draft, len(await world.events(case_id))) == before
    assert "Note saved" not in minh.last_text
    assert "technical problem" not in minh.last_text
