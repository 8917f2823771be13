"""A supervisor who withdraws the request waiting on someone else's case tells its owner in
the owner's words: who withdrew it, that the case is back at its step, and to carry it on —
not the supervisors' "there is nothing left to decide", which is not the owner's to decide.
"""

from __future__ import annotations

import pytest

from flows.procedures.review import Rung
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer, climb_to_decision, open_review
from tests.bot.test_the_owners_card_shows_where_the_case_stands_after_a_verdict import (
    stale_buttons,
)

pytestmark = pytest.mark.asyncio

TOLD = {
    "lan": (
        "Minh withdrew the request for a decision on your case #{case}: nothing waits for a"
        " supervisor any more, and the case is back at the step shown below"
    ),
    "hoa": (
        "Minh đã rút lại yêu cầu duyệt của hồ sơ #{case} của bạn: hồ sơ không còn chờ quản lý"
        " quyết định và đã trở về bước ghi bên dưới"
    ),
}
OPEN = {"lan": "📂 Open case", "hoa": "📂"}


async def withdrawn_by_minh(world: World, who: str) -> tuple[int, int]:
    """A review of `who`'s waiting for a decision, whose request Minh withdraws: the case,
    and where its card was in their chat before."""
    person: Person = getattr(world, who)
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(person, "Lê Văn Tám")
    await climb_to_decision(person)
    card_id = await world.card_message_id(case_id)
    version = (await world.case(case_id)).version
    await world.minh.press_data(f"k:{case_id}:{version}:a:withdraw")
    return case_id, card_id


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_an_owner_whose_request_a_supervisor_withdrew_is_told_to_carry_the_case_on(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    case_id, _ = await withdrawn_by_minh(world, who)
    assert (await world.case(case_id)).state == Rung.migrate
    told = person.last_text
    assert TOLD[who].format(case=case_id) in told
    assert "nothing left to decide" not in told
    assert "không còn gì cần quyết định" not in told
    assert any(OPEN[who] in label for label in person.last.button_labels)


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_the_owners_card_is_back_at_its_rung_once_a_supervisor_withdrew_the_request(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    case_id, card_id = await withdrawn_by_minh(world, who)
    case = await world.case(case_id)
    card = world.api.find_message(person.chat_id, card_id)
    assert card is not None
    title = world.services.scripts.get(person.language_code, f"step.{case.state}.title")
    assert title in card.plain_text  # drawn again in place, above the notice
    assert card.message_id < person.last.message_id
    assert stale_buttons(person, case_id, case.version) == []
