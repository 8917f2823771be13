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
from flows.scripts import LOCALES
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_review_conversation import (
    add_customer,
    approved_termination,
    climb_to_decision,
    offer_goodwill,
    open_review,
)
from tests.bot.walk import label, words

pytestmark = pytest.mark.asyncio

WITHDRAW = {"en": "↩ Withdraw request", "vi": "↩ Rút yêu cầu"}


#: The heading of a request for a goodwill offer above the staff limit, in each language.
GOODWILL_ASKED = {"en": "Goodwill offer needs approval", "vi": "Cần duyệt khoản hỗ trợ thiện chí"}


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_goodwill_offer_waiting_for_a_supervisor_can_be_withdrawn(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    case_id = await approved_termination(world, staff=person, supervisor=supervisor)
    await offer_goodwill(person, "2tr")
    request = world.api.last_with_buttons(supervisor.chat_id)
    assert request is not None
    assert GOODWILL_ASKED[locale] in request.plain_text
    card = world.api.last_with_buttons(person.chat_id)
    assert card is not None
    assert WITHDRAW[locale] in card.button_labels
    await person.press(WITHDRAW[locale], card)
    case = await world.case(case_id)
    assert case.state == Rung.termination_conversation
    assert "goodwill" not in case.draft
    assert "goodwill_value" not in case.draft
    assert words(person, "review.withdrawn", case=case_id) in person.last_text
    asked_again = world.api.last_with_buttons(person.chat_id)
    assert asked_again is not None
    assert label(person, "Refund the last period") in asked_again.button_labels
    told = words(supervisor, "notify.request_withdrawn", by=person.first_name, case=case_id)
    assert any(told in m.plain_text for m in supervisor.messages)
    await world.work_done()
    redrawn = world.api.find_message(supervisor.chat_id, request.message_id)
    assert redrawn is not None
    assert words(supervisor, "request_closed.gone", case=case_id) in redrawn.plain_text
    approve = label(supervisor, "Approve")
    assert not any(approve in button for button in redrawn.button_labels)
    [logged] = [e for e in await world.events(case_id) if e.kind == "withdraw"]
    assert logged.data == {
        "goodwill": "refund_last_period",
        "goodwill_value": 2_000_000,
        "to": Rung.termination_conversation,
    }
    await person.press(label(person, "Refund the last period"))  # a smaller gesture
    await person.send("300k")  # within the limit
    assert (await world.case(case_id)).draft.get("goodwill_value") == 300_000


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_termination_asked_for_by_mistake_can_be_withdrawn_back_to_the_rung(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(person, "Lê Văn Tám")
    await climb_to_decision(person)
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


@pytest.mark.parametrize("locale", LOCALES)
async def test_nothing_to_withdraw_offers_no_withdraw_button(world: World, locale: str) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    await approved_termination(world, staff=person, supervisor=supervisor)
    card = world.api.last_with_buttons(person.chat_id)
    assert card is not None
    assert WITHDRAW[locale] not in card.button_labels
    assert words(person, "button.cancel_reason") in card.button_labels
