"""A case cancelled by a supervisor: its owner is told who cancelled it and why, and what
they type or send for it afterwards is answered plainly, once.

Before, the owner heard nothing, was told "nothing needs typing; use the buttons" when they
answered its question, and — pressed into a note — got "case has ended" for every later
message: the refusal rolled back the clearing of their focus.
"""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.walk import open_case, walk_to_fix

pytestmark = pytest.mark.asyncio

TOLD = {
    "en": "Minh cancelled your case #{case} as opened by mistake. Reason: Duplicate of case 7",
    "vi": "Minh đã hủy hồ sơ #{case} của bạn vì tạo nhầm. Lý do: Duplicate of case 7",
}
ENDED = {
    "en": "Case #{case} has already ended, so this was not added to it",
    "vi": "Hồ sơ #{case} đã kết thúc nên nội dung này không được thêm vào",
}
NOT_WAITING = {"en": "I am not waiting for any text", "vi": "Lúc này tôi không chờ bạn gõ gì"}


async def cancel_as_supervisor(world: World, case_id: int) -> None:
    """Minh presses the case card's ✖ Cancel and gives a reason."""
    version = (await world.case(case_id)).version
    await world.minh.press_data(f"k:{case_id}:{version}:a:cancel_reason")
    await world.minh.send("Duplicate of case 7")
    assert (await world.case(case_id)).state == "cancelled"


@pytest.mark.parametrize("owner", ["lan", "hoa"])
async def test_the_owner_is_told_who_cancelled_their_case_and_why(
    world: World, owner: str
) -> None:
    person: Person = getattr(world, owner)
    case_id = await open_case(person)
    await walk_to_fix(person)
    await cancel_as_supervisor(world, case_id)
    assert TOLD[person.language_code].format(case=case_id) in person.last_text
    await person.send("Đã giao lại hàng trong vòng 1 giờ")  # the answer to the fix question
    assert ENDED[person.language_code].format(case=case_id) in person.last_text
    await person.send("Và đã gọi xin lỗi khách")
    assert NOT_WAITING[person.language_code] in person.last_text  # told once, then let go


async def test_a_note_being_typed_when_the_case_was_cancelled_is_answered_once(
    world: World,
) -> None:
    case_id = await open_case(world.lan)
    await world.lan.press("Note")
    await cancel_as_supervisor(world, case_id)
    await world.lan.send("first try")
    assert ENDED["en"].format(case=case_id) in world.lan.last_text
    await world.lan.send("/menu")
    await world.lan.send("something else")
    assert NOT_WAITING["en"] in world.lan.last_text
    assert "note" not in [e.kind for e in await world.events(case_id)]


async def test_a_photo_sent_for_a_cancelled_case_is_answered_once(world: World) -> None:
    case_id = await open_case(world.lan)
    await world.lan.press("Evidence")
    await cancel_as_supervisor(world, case_id)
    await world.lan.send_photo("receipt-1")
    assert ENDED["en"].format(case=case_id) in world.lan.last_text
    await world.lan.send_photo("receipt-2")
    assert ENDED["en"].format(case=case_id) not in world.lan.last_text
    assert "evidence" not in [e.kind for e in await world.events(case_id)]
