"""A supervisor who presses Approve or Decline on a request someone else has decided already
sees what became of it on the copy pressed: who decided what (in their language), with no
verdict buttons left, as every copy reads once redrawn — not only a pop-up above buttons that
still look alive (the redraw of the copies may still be on its way, or have been lost).
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World
from tests.bot.test_requests_no_longer_waiting import asked_both, live

pytestmark = pytest.mark.asyncio

ALREADY = {"en": "already been decided", "vi": "đã được quyết định"}


@pytest.mark.parametrize("known", [True, False], ids=["copy_known", "copy_forgotten"])
@pytest.mark.parametrize("presser", ["minh", "thu"])
async def test_a_verdict_pressed_on_a_request_decided_by_someone_else_redraws_the_copy(
    world: World, monkeypatch: pytest.MonkeyPatch, presser: str, known: bool
) -> None:
    monkeypatch.setattr(world.app.bot_data.redrawing, "start", lambda case_ids: None)
    thu, case_id, minh_copy, thu_copy = await asked_both(world)
    if presser == "minh":
        person, copy, decider, other, verdict = world.minh, minh_copy, thu, thu_copy, "Duyệt"
        said = f"Case #{case_id}: Thu approved the compensation"
    else:
        person, copy, decider, other, verdict = thu, thu_copy, world.minh, minh_copy, "Approve"
        said = f"Hồ sơ #{case_id}: Minh đã duyệt khoản đền bù"
    await decider.press(verdict, other)
    assert live(copy)  # not redrawn yet (its redraw lost)
    if not known:
        async with SqlUnitOfWork(world.services.sessions) as uow:
            await uow.session.execute(text("DELETE FROM request_copies"))
            await uow.commit()
    answers = len(world.api.answers)
    await person.press(copy.buttons[0][1].text, copy)  # Decline
    assert ALREADY[person.language_code] in str(world.api.answers[answers:])
    assert said in copy.plain_text
    assert not live(copy)
    assert (await world.case(case_id)).state != "compensate"  # the decision stands
