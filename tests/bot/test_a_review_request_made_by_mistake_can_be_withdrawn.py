"""A request a review waits on, made by mistake, is taken back as a complaint's is.

A goodwill offer above the limit in the termination conversation, or the termination itself,
waits for a supervisor; before, the card offered only ✖ Cancel case, which ends the whole
review. ↩ Withdraw request takes the request back: the conversation asks for a gesture
again (the review goes back to the rung it asked from), the supervisors asked are told,
and their copies of the request say it no longer waits.
"""

from __future__ import annotations

import pytest

from flows.procedures.review import Rung
from tests.bot.conftest import World
from tests.bot.test_review_conversation import (
    add_customer,
    approved_termination,
    climb_to_decision_in,
    offer_goodwill,
    open_review,
)

pytestmark = pytest.mark.asyncio

WITHDRAW = {"en": "↩ Withdraw request", "vi": "↩ Rút yêu cầu"}


async def test_a_goodwill_offer_waiting_for_a_supervisor_can_be_withdrawn(world: World) -> None:
    case_id = await approved_termination(world)
    await offer_goodwill(world.lan, "2tr")
    request = world.api.last_with_buttons(world.minh.chat_id)
    assert request is not None
    assert "Goodwill offer needs approval" in request.plain_text
    card = world.api.last_with_buttons(world.lan.chat_id)
    assert card is not None
    assert WITHDRAW["en"] in card.button_labels
    await world.lan.press(WITHDRAW["en"], card)
    case = await world.case(case_id)
    assert case.state == Rung.termination_conversation
    assert "goodwill" not in case.draft
    assert "goodwill_value" not in case.draft
    assert "You withdrew the request on case" in world.lan.last_text
    asked_again = world.api.last_with_buttons(world.lan.chat_id)
    assert asked_again is not None
    assert "Refund the last period" in asked_again.button_labels
    assert any("Lan withdrew the request" in m.plain_text for m in world.minh.messages)
    await world.work_done()
    redrawn = world.api.find_message(world.minh.chat_id, request.message_id)
    assert redrawn is not None
    assert "no longer waits for a decision" in redrawn.plain_text
    assert not any("Approve" in label for label in redrawn.button_labels)
    [logged] = [e for e in await world.events(case_id) if e.kind == "withdraw"]
    assert logged.data == {
        "goodwill": "refund_last_period",
        "goodwill_value": 2_000_000,
        "to": Rung.termination_conversation,
    }
    await world.lan.press("Refund the last period")  # a smaller gesture, within the limit
    await world.lan.send("300k")
    assert (await world.case(case_id)).draft.get("goodwill_value") == 300_000


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_termination_asked_for_by_mistake_can_be_withdrawn_back_to_the_rung(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(person, "Lê Văn Tám")
    await climb_to_decision_in(person, who)
    assert (await world.case(case_id)).state == Rung.awaiting_decision
    language = "en" if who == "lan" else "vi"
    await person.press(WITHDRAW[language])
    assert (await world.case(case_id)).state == Rung.migrate
    said = (
        "You withdrew the request on case" if who == "lan" else "Bạn đã rút lại yêu cầu của hồ sơ"
    )
    assert any(said in m.plain_text for m in person.messages)
    assert any("withdrew the request" in m.plain_text for m in world.minh.messages)
    await world.work_done()
    await world.minh.send("/approvals")
    assert f"#{case_id}" not in world.minh.last_text


async def test_nothing_to_withdraw_offers_no_withdraw_button(world: World) -> None:
    await approved_termination(world)
    card = world.api.last_with_buttons(world.lan.chat_id)
    assert card is not None
    assert WITHDRAW["en"] not in card.button_labels
    assert "✖ Cancel case" in card.button_labels
