"""A review, an exit interview or a check-in opened by mistake (the wrong customer picked, a
duplicate) is cancelled with a reason, as a complaint is, in both languages. Before, only a
complaint offered Cancel: the others stayed open for good, on the customer's record and in
the staff member's open cases, with no way forward."""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer
from tests.bot.walk import case_number

pytestmark = pytest.mark.asyncio

NAME = "Lê Văn Tám"

WORDS = {
    "lan": {
        "cancel": "Cancel (mistake)",
        "cancelled": "has been cancelled",
        "no_open": "No open cases",
        "review": "Problem customer",
        "exit": "Exit interview",
        "checkin": "Check-in call",
    },
    "hoa": {
        "cancel": "Hủy (tạo nhầm)",
        "cancelled": "đã được hủy",
        "no_open": "Không có hồ sơ nào đang mở",
        "review": "Khách hàng khó",
        "exit": "Phỏng vấn rời bỏ",
        "checkin": "Hỏi thăm khách",
    },
}


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize("kind", ["review", "exit", "checkin"])
async def test_a_case_opened_for_the_wrong_customer_is_cancelled_with_its_reason(
    world: World, who: str, kind: str
) -> None:
    person: Person = getattr(world, who)
    words = WORDS[who]
    await add_customer(world, NAME)
    await person.send("/customer " + NAME)
    await person.press(words[kind])
    case_id = case_number(person.last_text)
    await person.press(words["cancel"])
    await person.send("Picked the wrong Tám")
    assert words["cancelled"] in person.last_text
    case = await world.case(case_id)
    assert case.state == "cancelled"
    reasons = [e.data.get("reason") for e in await world.events(case_id) if e.kind == "cancel"]
    assert reasons == ["Picked the wrong Tám"]
    await person.send("/customer " + NAME)
    assert words["no_open"] in person.last_text
