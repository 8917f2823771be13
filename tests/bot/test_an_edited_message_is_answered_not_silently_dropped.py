"""A staff member who corrects a typed answer by editing the message: the bot does not read
the change, and says so (what was taken stands; how to correct it), in their language. Before,
the edit was dropped without a word, and the person believed the case held the correction."""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.walk import open_case, walk_to_fix

pytestmark = pytest.mark.asyncio

TOLD = {
    "lan": "I do not read changes made to a message already sent",
    "hoa": "Tôi không đọc được phần bạn sửa trong tin nhắn đã gửi",
}


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_an_answer_corrected_by_editing_it_keeps_the_first_and_says_so(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    case_id = await open_case(person)
    await walk_to_fix(person)
    update_id = await person.send("Re-delivered by van")
    state = (await world.case(case_id)).state
    await person.edit(person.message_id_of(update_id), "Re-delivered by our own van, 2 hours")
    told = "\n".join(m.plain_text for m in person.messages[-2:])  # above the card
    assert TOLD[who] in told
    assert "📝" in told  # how to keep the new words: 📝 Keep as note, under them
    case = await world.case(case_id)
    assert "Re-delivered by van" in str(case.draft)  # the step's answer so far, as first sent
    assert "2 hours" not in str(case.draft)
    assert case.state == state


async def test_an_edit_by_someone_unregistered_gets_the_polite_refusal_and_stores_nothing(
    world: World,
) -> None:
    stranger = world.stranger
    update_id = await stranger.send("hello")
    refusals = len(stranger.messages)
    await stranger.edit(stranger.message_id_of(update_id), "hello again")
    assert len(stranger.messages) <= refusals + 1
    assert all(TOLD["lan"] not in m.plain_text for m in stranger.messages)
    assert await world.count("cases") == 0


ASKED = {
    "lan": ("📝 Add a note", "Type your note for case", "▶ Carry on with this case"),
    "hoa": ("📝 Thêm ghi chú", "Gõ ghi chú cho hồ sơ", "▶ Làm tiếp hồ sơ này"),
}


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_an_edit_while_a_note_is_asked_for_says_so_and_asks_for_the_note_again(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    note, prompt, carry_on = ASKED[who]
    case_id = await open_case(person)
    await person.press(note)
    update_id = await person.send("Khách gọi lại lúc 9 giờ")
    await person.press(note)  # a second note asked for
    await person.edit(person.message_id_of(update_id), "Khách gọi lại lúc 10 giờ")
    told, asked = person.messages[-2:]
    assert TOLD[who] in told.plain_text
    assert prompt in asked.plain_text  # the note still waits, asked again
    assert carry_on in asked.button_labels
    notes = [e.data["text"] for e in await world.events(case_id) if e.kind == "note"]
    assert notes == ["Khách gọi lại lúc 9 giờ"]
