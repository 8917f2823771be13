"""A case that ends leaves no card above in the chat whose buttons look as if they still
answered it: the card is drawn as ended where it stands (how it ended, no buttons), in the
chat of whoever ended it, and in its owner's when someone else — a supervisor, or another
case (the customer left, or was let go) — ended it.

Before, a case cancelled with ✖ Cancel case kept its card, buttons and all, above the
reason asked for; a supervisor's cancel, a defection or a termination left the owner's card
so too, until someone pressed one of its buttons and was told it was out of date.
"""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_cases_closed_by_a_defection_say_why import records_a_defection
from tests.bot.test_customer_paths import terminate
from tests.bot.test_every_stale_press_shows_where_the_case_stands import (
    OPENINGS,
    opened,
    the_card,
)
from tests.bot.test_review_conversation import add_customer
from tests.bot.walk import (
    TIMELESS,
    case_buttons,
    case_number,
    compensate,
    open_case,
    walk_to_compensate,
    walk_to_fix,
)

pytestmark = pytest.mark.asyncio

CANCEL = {"lan": "✖ Cancel (mistake)", "hoa": "✖ Hủy (tạo nhầm)"}
CHECK_IN = {"lan": "Check-in call", "hoa": "Hỏi thăm khách"}
ENDED = {
    "lan": {"cancelled": "Cancelled", "closed": "Closed"},
    "hoa": {"cancelled": "Đã hủy", "closed": "Đã đóng"},
}


def live_buttons(person: Person, case_id: int) -> list[str]:
    """The buttons still showing in the chat that answer the case (not its timeline)."""
    return [text for text, _, does in case_buttons(person, case_id) if does not in TIMELESS]


async def card_text(world: World, person: Person, case_id: int) -> str:
    return (await the_card(world, person, case_id)).plain_text


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize("opening", OPENINGS)
async def test_a_case_cancelled_by_its_owner_shows_its_card_as_cancelled_with_no_buttons(
    world: World, who: str, opening: str
) -> None:
    person: Person = getattr(world, who)
    case_id = await opened(world, person, opening)
    assert live_buttons(person, case_id)
    await person.press(CANCEL[who])
    await person.send("Opened by mistake")
    assert (await world.case(case_id)).state == "cancelled"
    assert live_buttons(person, case_id) == []
    assert ENDED[who]["cancelled"] in await card_text(world, person, case_id)


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_case_cancelled_by_a_supervisor_shows_the_owners_card_as_cancelled(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    case_id = await open_case(person)
    await walk_to_fix(person)
    logged = (await card_text(world, person, case_id)).split("\n\n")[0]  # the step it logs
    version = (await world.case(case_id)).version
    await world.minh.press_data(f"k:{case_id}:{version}:a:cancel_reason")
    await world.minh.send("Duplicate of case 7")
    assert live_buttons(person, case_id) == []
    shown = await card_text(world, person, case_id)
    assert ENDED[who]["cancelled"] in shown
    assert shown.startswith(logged)  # the steps it logged stay above the card
    assert live_buttons(world.minh, case_id) == []


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_check_in_closed_because_the_customer_left_shows_its_card_as_ended(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    await add_customer(world, "Phan Thu Hà")
    await person.send("/customer phan thu")
    await person.press(CHECK_IN[who])
    visit = case_number(person.last_text)
    assert live_buttons(person, visit)
    await records_a_defection(world.minh, "Phan Thu Hà")
    assert (await world.case(visit)).state == "cancelled"
    assert live_buttons(person, visit) == []
    assert ENDED[who]["cancelled"] in await card_text(world, person, visit)


async def test_a_complaint_closed_by_a_termination_shows_its_card_as_ended(
    world: World,
) -> None:
    review, complaint = await terminate(world, "Công ty Hòa Bình")
    assert live_buttons(world.lan, complaint) == []
    assert live_buttons(world.lan, review) == []
    assert "Cancelled" in await card_text(world, world.lan, complaint)


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_an_exit_interview_and_a_check_in_ended_by_their_answers_show_their_cards_ended(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    await add_customer(world, "Phan Thu Hà")
    interview = await records_a_defection(person, "Phan Thu Hà")
    assert live_buttons(person, interview) == []
    await add_customer(world, "Lê Văn Bình")
    await person.send("/customer le van")
    await person.press(CHECK_IN[who])
    visit = case_number(person.last_text)
    while (await world.case(visit)).state != "checked_in":
        card = person.api.last_with_buttons(person.chat_id)
        assert card is not None
        if card.buttons[0][0].text.startswith(("📝", "▶")):
            await person.send("Hài lòng với dịch vụ")
        else:
            await person.press(card.buttons[0][0].text, card)
    assert live_buttons(person, visit) == []


async def test_a_complaint_closed_after_its_follow_up_shows_its_card_as_closed(
    world: World,
) -> None:
    case_id = await open_case(world.lan)
    await walk_to_compensate(world.lan)
    await compensate(world.lan, "Voucher", "200k")
    await world.lan.press("In 3 days")
    await world.lan.press("Satisfied")
    assert (await world.case(case_id)).state == "closed"
    assert live_buttons(world.lan, case_id) == []
    assert "Closed" in await card_text(world, world.lan, case_id)
