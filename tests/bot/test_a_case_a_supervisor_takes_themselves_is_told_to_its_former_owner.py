"""A supervisor who takes a case themselves (🙋 Take it myself) tells its former owner, as a
hand-over to someone else does: the case is no longer theirs, whose it is now, and where its
reminders go; the notice offers nothing to press, and their older card of the case keeps no
button that would still act on it."""

from __future__ import annotations

import pytest

from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_a_supervisor_hands_a_case_over import TAKE_IT, hand_over, owner_of
from tests.bot.test_people_lifecycle import staff_row
from tests.bot.walk import open_case, walk_to_fix

pytestmark = pytest.mark.asyncio

TOLD = {
    "en": "🔁 {by} took your case #{case} over and carries it on from here. "
    "Its reminders go to {by} now.",
    "vi": "🔁 {by} đã tự nhận hồ sơ #{case} của bạn để làm tiếp từ đây. "
    "Từ giờ các lời nhắc của hồ sơ sẽ gửi cho {by}.",
}
NOT_YOURS = {"en": "is with {by} now", "vi": "hiện do {by} phụ trách"}


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_case_a_supervisor_takes_themselves_is_told_to_its_former_owner(
    world: World, language: str
) -> None:
    owner, supervisor = await staff_and_supervisor(world, language)
    case_id = await open_case(owner)
    await walk_to_fix(owner)
    card = owner.last
    await hand_over(supervisor, case_id, TAKE_IT[language])
    assert await owner_of(world, case_id) == (await staff_row(world, supervisor)).id
    told = TOLD[language].format(by=supervisor.first_name, case=case_id)
    assert owner.last_text.startswith(told)
    assert not owner.last.buttons  # not theirs to open any more
    shown = world.api.find_message(owner.chat_id, card.message_id)
    assert shown is not None
    assert not shown.buttons
    await owner.send(f"/case {case_id}")
    assert NOT_YOURS[language].format(by=supervisor.first_name) in owner.last_text
