"""A card the bot drew before it restarted keeps the steps it logs: the new process does
not know what that message shows, so it leaves it as it is and only takes its buttons; the
step just done is logged on the new card below.

Before, the old message was edited to show only the step just done, or deleted where the
card came anew for another reason (▶ Carry on with this case under a prompt): the steps it
had logged were gone from the chat, which a process that had not restarted kept.
"""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World, restarted
from tests.bot.walk import label, open_case

pytestmark = pytest.mark.asyncio

OPENING = {"lan": "✅ #1 · Opening the case", "hoa": "✅ #1 · Tiếp nhận khiếu nại"}
STEP_ONE = {"lan": "✅ #1 · Step 1 of 5", "hoa": "✅ #1 · Bước 1/5"}
NOTE_CARRY_ON = {
    "lan": ("📝 Note", "▶ Carry on with this case"),
    "hoa": ("📝 Ghi chú", "▶ Làm tiếp hồ sơ này"),
}


def chat_text(world: World, person: Person) -> str:
    return "\n".join(m.plain_text for m in world.api.messages(person.chat_id))


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_step_done_after_a_restart_leaves_the_steps_the_old_card_logs(
    world: World, database_url: str, who: str
) -> None:
    person: Person = getattr(world, who)
    await open_case(person)
    old = person.last
    await person.press(label(person, "Calm"))
    async with restarted(world, database_url):
        await person.press(label(person, "Skip"), old)
        shown = world.api.find_message(person.chat_id, old.message_id)
        assert shown is not None
        assert not shown.deleted
        assert OPENING[who] in shown.plain_text  # logged before the restart: still there
        assert not shown.button_labels
        assert STEP_ONE[who] in person.last.plain_text  # the step done, on the new card
        assert chat_text(world, person).count(STEP_ONE[who]) == 1


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_carry_on_after_a_restart_leaves_the_old_card_in_the_chat(
    world: World, database_url: str, who: str
) -> None:
    person: Person = getattr(world, who)
    await open_case(person)
    old = person.last
    note, carry_on = NOTE_CARRY_ON[who]
    await person.press(note)
    prompt = person.last
    async with restarted(world, database_url):
        await person.press(carry_on, prompt)
        shown = world.api.find_message(person.chat_id, old.message_id)
        assert shown is not None
        assert not shown.deleted
        assert OPENING[who] in shown.plain_text
        assert not shown.button_labels  # the card is the new one below
        assert person.last.button_labels
