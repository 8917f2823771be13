"""Documenting an incident in the middle of a call never changes the words staff are given
to say: while the incident is written, the card keeps the words of the question it
interrupted — in a check-in, "is there anything others do better?", never the greeting the
call opened with — in either language."""

from __future__ import annotations

import pytest

from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer

pytestmark = pytest.mark.asyncio

#: The buttons of a check-in walked to its question about others, the words of that
#: question, and the greeting the call opened with.
WALK = {
    "lan": (
        ("🤝 Make a check-in call", "Not met", "🚩 Log an incident", "Late or missed payment"),
        "Is there anything others do better than us?",
        "Hello Hùng.",
    ),
    "hoa": (
        (
            "🤝 Hỏi thăm khách",
            "Chưa đáp ứng",
            "🚩 Ghi nhận sự việc",
            "Trả tiền trễ hoặc không trả",
        ),
        "Dạ, anh/chị thấy nơi khác có điểm nào làm tốt hơn bên em không ạ?",
        "Dạ, em chào anh/chị Hùng.",
    ),
}


@pytest.mark.parametrize("who", list(WALK))
async def test_an_incident_in_a_check_in_keeps_the_words_of_its_question(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    (check_in, not_met, incident, late), words, greeting = WALK[who]
    await add_customer(world, "Trần Văn Hùng")
    await person.send("/customer tran van hung")
    await person.press(check_in)
    await person.send("Gần nhà, giao nhanh")
    await person.press(not_met)
    await person.send("Giảm giá cho khách quen")
    assert words in person.last_text
    for pressed in (incident, late):
        await person.press(pressed)
        assert words in person.last_text, person.last_text
        assert greeting not in person.last_text
    await person.send("hôm qua")
    assert words in person.last_text
    await person.send("Chậm thanh toán hai kỳ liền")
    assert words in person.last_text
