"""Someone in the middle of typing something (a case's answer, a note, a question about a
customer) when a supervisor hands a case over: what they type next goes where they were
told it goes. The new owner, busy with another case, is told their next message still goes
there, with the way to the handed case first; the former owner's question about a customer
stays open when the case it came from goes.
"""

from __future__ import annotations

import pytest

from flows.model import CustomerStatus
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_a_question_about_a_customer_pressed_by_mistake_keeps_the_case import (
    WORDS,
    at_the_apology_note,
    customer,
)
from tests.bot.test_a_supervisor_hands_a_case_over import hand_over
from tests.bot.walk import open_case, walk_to_fix

pytestmark = pytest.mark.asyncio

STILL_GOES = {
    "en": "What you type next still goes to case #{case}, where you were",
    "vi": "Tin bạn gõ tiếp theo vẫn được ghi vào hồ sơ #{case} mà bạn đang làm dở",
}
CARRY_ON = {"en": "▶ Carry on with this case", "vi": "▶ Làm tiếp hồ sơ này"}


def busy_taker(world: World, language: str) -> Person:
    return world.bernd if language == "en" else world.hoa


async def typed_into(world: World, case_id: int, text: str) -> bool:
    """Whether `text` was recorded on the case (its draft or its log)."""
    case = await world.case(case_id)
    return text in str(case.draft) or text in str([e.data for e in await world.events(case_id)])


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_new_owner_busy_with_another_case_is_told_where_their_next_message_goes(
    world: World, language: str
) -> None:
    taker = busy_taker(world, language)
    own = await open_case(taker, customer="Trần Văn Bình")
    await walk_to_fix(taker)  # their own case asks what was done to fix it
    handed = await open_case(world.lan)
    await walk_to_fix(world.lan)  # so does the one handed to them
    await hand_over(world.minh, handed, f"👤 {taker.first_name}")
    notice = next(m for m in reversed(taker.messages) if f"#{handed}" in m.plain_text)
    assert STILL_GOES[language].format(case=own) in notice.plain_text
    assert CARRY_ON[language] in notice.button_labels
    await taker.send("Đã gọi kho giao lại ngay")  # as said: into their own case
    assert await typed_into(world, own, "Đã gọi kho giao lại ngay")
    assert not await typed_into(world, handed, "Đã gọi kho giao lại ngay")
    await taker.press(CARRY_ON[language], notice)  # then the handed case
    await taker.send("Giao lại bằng xe riêng trong 1 giờ")
    assert await typed_into(world, handed, "Giao lại bằng xe riêng trong 1 giờ")
    assert not await typed_into(world, own, "Giao lại bằng xe riêng trong 1 giờ")


async def test_a_new_owner_with_nothing_waiting_answers_the_handed_case_at_once(
    world: World,
) -> None:
    handed = await open_case(world.lan)
    await walk_to_fix(world.lan)
    await hand_over(world.minh, handed, "👤 Bernd")  # Bernd has nothing open
    assert "still goes to case" not in world.bernd.last_text
    await world.bernd.send("Giao lại bằng xe riêng trong 1 giờ")
    assert await typed_into(world, handed, "Giao lại bằng xe riêng trong 1 giờ")


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_question_about_a_customer_outlives_the_case_it_was_asked_from_handed_away(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    case_id = await at_the_apology_note(person)
    await person.press(WORDS[who]["flag"])  # why may the customer leave? asked mid-case
    taker = "👤 Bernd"
    await hand_over(world.minh, case_id, taker)
    await person.send("Đã hỏi giá bên khác hai lần trong tháng này")  # the reason, answered
    assert (await customer(world)).status == CustomerStatus.at_risk
