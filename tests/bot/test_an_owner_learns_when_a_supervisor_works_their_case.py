"""A supervisor who works a step of someone's case (opened from `/case N`, carried on)
moves it on under the owner's card: the owner is told, with where the case stands now and
a tap to open it, and their card of it is drawn again where the case stands, to carry on
from there (before, it kept the step the case had left, its buttons alive, until pressed).
A supervisor who only opened it leaves the owner's card working: answered on it, it moves
on in place, no older card left alive. (A supervisor's card the owner leaves behind so: see
test_every_card_of_a_case_someone_else_moved_on_offers_no_button_drawn_before.)
"""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from standin.messages import SentMessage
from tests.bot.conftest import World
from tests.bot.test_the_owners_card_shows_where_the_case_stands_after_a_verdict import (
    stale_buttons,
)
from tests.bot.walk import label, open_case, walk_to_fix

pytestmark = pytest.mark.asyncio

WORKED_ON = {
    "en": "Minh worked on your case #{case}, which now stands as shown below",
    "vi": "Minh vừa xử lý hồ sơ #{case} của bạn; hồ sơ hiện ở bước ghi bên dưới",
}
NOW_AT = {"en": "Now at: Act to fix it", "vi": "Đang ở: "}
STEP_2 = {"en": "Step 2 of 5", "vi": "Bước 2/5"}
STEP_1 = {"en": "Step 1 of 5", "vi": "Bước 1/5"}
OUT_OF_DATE = {"en": "This button is out of date", "vi": ""}


def owner_in(world: World, language: str) -> Person:
    return world.lan if language == "en" else world.hoa


async def supervisor_carries_on(world: World, case_id: int) -> None:
    """Minh opens the case from `/case N` and carries it on in his own chat."""
    await world.minh.send(f"/case {case_id}")
    await world.minh.press("▶ Carry on")


async def owners_card_then_supervisor_on(
    world: World, language: str
) -> tuple[Person, int, SentMessage]:
    """An owner who opened a case (their card, with its buttons) and a supervisor who then
    carried it on in their own chat, nothing done yet."""
    owner = owner_in(world, language)
    case_id = await open_case(owner)
    card = world.api.last_with_buttons(owner.chat_id)
    assert card is not None
    await supervisor_carries_on(world, case_id)
    return owner, case_id, card


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_owner_is_told_where_their_case_stands_after_a_supervisor_did_a_step(
    world: World, language: str
) -> None:
    owner, case_id, card = await owners_card_then_supervisor_on(world, language)
    before = len(owner.messages)
    await walk_to_fix(world.minh)  # step 1 done, by Minh
    [told] = owner.messages[before:]
    assert WORKED_ON[language].format(case=case_id) in told.plain_text
    assert any("📂" in b for b in told.button_labels)  # a tap to open it
    redrawn = world.api.find_message(owner.chat_id, card.message_id)
    assert redrawn is not None
    assert STEP_2[language] in redrawn.plain_text  # the case as it stands, in its place
    assert stale_buttons(owner, case_id, (await world.case(case_id)).version) == []
    fix = "Giao lại bằng xe riêng trong 1 giờ"
    await owner.send(fix)  # maybe typed for the question Minh answered: quoted back once
    assert fix in owner.messages[-2].plain_text
    await owner.send(fix)  # and carried on from there
    await owner.press(label(owner, "Fixed now"))
    assert (await world.case(case_id)).state == "empathise"


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_owner_is_told_when_a_supervisor_takes_their_case_back_a_step(
    world: World, language: str
) -> None:
    owner = owner_in(world, language)
    case_id = await open_case(owner)
    await walk_to_fix(owner)
    await supervisor_carries_on(world, case_id)
    before = len(owner.messages)
    await world.minh.press("↩ Go back a step")
    [told] = owner.messages[before:]
    assert WORKED_ON[language].format(case=case_id) in told.plain_text
    assert (await world.case(case_id)).state == "apologise"


async def test_the_owner_working_their_own_case_is_told_nothing(world: World) -> None:
    case_id = await open_case(world.lan)
    await walk_to_fix(world.lan)
    assert not any(
        WORKED_ON["en"].format(case=case_id) in m.plain_text for m in world.lan.messages
    )


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_owners_card_answered_after_a_supervisor_opened_the_case_moves_on_in_place(
    world: World, language: str
) -> None:
    owner, case_id, card = await owners_card_then_supervisor_on(world, language)
    await owner.press(label(owner, "Calm"), card)
    assert (await world.case(case_id)).draft.get("reaction") == "calm"
    alive = [m for m in owner.messages if any(label(owner, "Calm") in b for b in m.button_labels)]
    assert not alive  # no card is left offering the question already answered
    assert label(owner, "Skip") in " ".join(owner.last.button_labels)
    assert await world.card_message_id(case_id) == owner.last.message_id
